import type { Kysely } from "kysely";
import type { Database, Environment } from "../../schema.js";

/**
 * The environment as it is now, its row share-locked for the transaction: rules are checked against
 * the current `protected` flag at fire time, and protection cannot be turned on under a firing.
 */
export async function lockEnvironmentForRules(db: Kysely<Database>, environmentId: string): Promise<Pick<Environment, "id" | "name" | "protected">> {
  return db.selectFrom("environments").select(["id", "name", "protected"]).where("id", "=", environmentId).forShare().executeTakeFirstOrThrow();
}
