import type { Database } from "@keyward/db";
import type { Kysely } from "kysely";

/** The name of the environment a change request belongs to (rows reference its id). */
export async function environmentNameOf(db: Kysely<Database>, id: string): Promise<string> {
  const row = await db.selectFrom("environments").select("name").where("id", "=", id).executeTakeFirst();
  return row?.name ?? "";
}
