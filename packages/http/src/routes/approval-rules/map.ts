import { ruleInactiveReason, type ApprovalRule as ApprovalRuleRow, type Environment } from "@keyward/db";
import type { ApprovalRule } from "@keyward/spec";

/** A rule as the spec shapes it, with whether it fires in its environment as it is now. */
export function toApprovalRule(r: ApprovalRuleRow, environment: Pick<Environment, "name" | "protected">): ApprovalRule {
  const inactiveReason = ruleInactiveReason(r, environment) ?? null;
  return {
    id: r.id,
    environment: environment.name,
    kind: r.kind,
    servicePattern: r.service_pattern,
    secretPattern: r.secret_pattern,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    active: inactiveReason === null,
    inactiveReason,
  };
}
