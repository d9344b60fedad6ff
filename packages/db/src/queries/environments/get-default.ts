import type { Kysely } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database, Environment } from "../../schema.js";

/** The instance's default environment: where a client that states none, and the admin API by default, go. */
export async function getDefaultEnvironment(db: Kysely<Database>): Promise<Environment> {
  const env = await db.selectFrom("environments").selectAll().where("is_default", "=", true).executeTakeFirst();
  // Migration 0400 makes one and the queries never remove it: none means the database was edited.
  if (!env) throw new KeywardError("internal", "no default environment: the environments table has no row with is_default");
  return env;
}
