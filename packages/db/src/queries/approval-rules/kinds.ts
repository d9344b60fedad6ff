import type { ApprovalRule, ApprovalRuleKind, Environment } from "../../schema.js";

export const APPROVAL_RULE_KINDS: readonly ApprovalRuleKind[] = ["token.approve", "access.grant", "token.reject", "access.reject"];

/** The kinds that let a change through without an admin: never in a protected environment. */
export const isApprovingKind = (kind: ApprovalRuleKind): boolean => kind === "token.approve" || kind === "access.grant";

/** The kinds that decide access requests, the only ones that take a secret pattern. */
export const isAccessKind = (kind: ApprovalRuleKind): boolean => kind === "access.grant" || kind === "access.reject";

export const PROTECTED_ENVIRONMENT_RULES = "protected environments take rules that only narrow: token.reject, access.reject";

/**
 * Why a rule does not fire in the environment as it is now, or undefined when it does: an approving
 * rule in an environment that became protected after the rule was made (rules only narrow there).
 */
export function ruleInactiveReason(rule: Pick<ApprovalRule, "kind">, environment: Pick<Environment, "protected">): string | undefined {
  return environment.protected && isApprovingKind(rule.kind) ? `the environment is protected; ${PROTECTED_ENVIRONMENT_RULES}` : undefined;
}
