import type { Kysely } from "kysely";
import type { Database, Environment } from "../../schema.js";

/** Every environment, in the admins' order (position, then name). */
export async function listEnvironments(db: Kysely<Database>): Promise<Environment[]> {
  return db.selectFrom("environments").selectAll().orderBy("position").orderBy("name").execute();
}
