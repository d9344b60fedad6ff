import type { Kysely } from "kysely";
import type { ApprovalRule, Database } from "../../schema.js";

/** Deletes one rule of one environment (one of another is not found): the deleted row, or undefined. */
export async function deleteApprovalRule(db: Kysely<Database>, input: { environmentId: string; id: string }): Promise<ApprovalRule | undefined> {
  return db.deleteFrom("approval_rules").where("id", "=", input.id).where("environment_id", "=", input.environmentId).returningAll().executeTakeFirst();
}
