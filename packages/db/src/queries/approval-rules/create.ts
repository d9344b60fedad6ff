import type { Kysely } from "kysely";
import { secretPatternProblem, servicePatternProblem } from "@keyward/common";
import type { ApprovalRule, ApprovalRuleKind, Database } from "../../schema.js";
import { newApprovalRuleId } from "./ids.js";
import { isAccessKind, isApprovingKind } from "./kinds.js";

export type CreateApprovalRuleResult =
  | { kind: "ok"; rule: ApprovalRule }
  /** A pattern is not a glob over names, or a secret pattern on a token kind: `field` names it. */
  | { kind: "invalid"; field: "servicePattern" | "secretPattern"; problem: string }
  /** An approving kind in a protected environment. */
  | { kind: "protected" };

/**
 * Adds a rule to an environment. The environment's row is locked so that turning protection on
 * cannot interleave with adding an approving rule; an approving kind is refused in a protected one
 * (rules there only narrow). Call inside the audited transaction that records it.
 */
export async function createApprovalRule(
  db: Kysely<Database>,
  input: { environmentId: string; kind: ApprovalRuleKind; servicePattern: string; secretPattern?: string | null; actor: string; at: Date },
): Promise<CreateApprovalRuleResult> {
  const serviceProblem = servicePatternProblem(input.servicePattern);
  if (serviceProblem) return { kind: "invalid", field: "servicePattern", problem: serviceProblem };
  const secretPattern = input.secretPattern ?? null;
  if (secretPattern !== null) {
    if (!isAccessKind(input.kind)) return { kind: "invalid", field: "secretPattern", problem: `a ${input.kind} rule takes no secret pattern (only access.grant and access.reject do)` };
    const secretProblem = secretPatternProblem(secretPattern);
    if (secretProblem) return { kind: "invalid", field: "secretPattern", problem: secretProblem };
  }
  const environment = await db.selectFrom("environments").select("protected").where("id", "=", input.environmentId).forUpdate().executeTakeFirstOrThrow();
  if (environment.protected && isApprovingKind(input.kind)) return { kind: "protected" };
  const rule = await db
    .insertInto("approval_rules")
    .values({
      id: newApprovalRuleId(),
      environment_id: input.environmentId,
      kind: input.kind,
      service_pattern: input.servicePattern,
      secret_pattern: secretPattern,
      created_by: input.actor,
      created_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { kind: "ok", rule };
}
