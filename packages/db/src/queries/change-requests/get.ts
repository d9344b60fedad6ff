import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { toChangeRequest, type ChangeRequest } from "./public.js";

/** One change request (without its sealed value), or undefined. */
export async function getChangeRequest(db: Kysely<Database>, id: string): Promise<ChangeRequest | undefined> {
  const row = await db.selectFrom("change_requests").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toChangeRequest(row);
}
