import type { Kysely } from "kysely";
import type { ApprovalRule, ApprovalRuleKind, Database } from "../../schema.js";

/** An environment's rules, oldest first; `kinds` narrows them (what firing reads). */
export async function listApprovalRules(db: Kysely<Database>, input: { environmentId: string; kinds?: readonly ApprovalRuleKind[] }): Promise<ApprovalRule[]> {
  let query = db.selectFrom("approval_rules").selectAll().where("environment_id", "=", input.environmentId);
  if (input.kinds) query = query.where("kind", "in", [...input.kinds]);
  return query.orderBy("created_at").orderBy("id").execute();
}
