import type { Kysely } from "kysely";
import type { Database, Environment } from "../../schema.js";

/** The environment of that name, or undefined (the caller names `environment` as the bad input). */
export async function getEnvironmentByName(db: Kysely<Database>, name: string): Promise<Environment | undefined> {
  return db.selectFrom("environments").selectAll().where("name", "=", name).executeTakeFirst();
}
