import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** How many admin keys exist; zero means the service has never been bootstrapped. */
export async function countAdminKeys(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("admin_api_keys").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}
