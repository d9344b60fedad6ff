import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Removes a channel with its subscriptions and deliveries (the events stay in the outbox). False when none has that name. */
export async function deleteChannel(db: Kysely<Database>, name: string): Promise<boolean> {
  const r = await db.deleteFrom("channels").where("name", "=", name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
