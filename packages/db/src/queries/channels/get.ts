import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { PUBLIC_CHANNEL_COLUMNS, type PublicChannel } from "./create.js";

/** A channel by name, without its sealed credentials. */
export function getChannelByName(db: Kysely<Database>, name: string): Promise<PublicChannel | undefined> {
  return db.selectFrom("channels").select(PUBLIC_CHANNEL_COLUMNS).where("name", "=", name).executeTakeFirst();
}
