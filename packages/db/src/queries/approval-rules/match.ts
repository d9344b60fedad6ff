import { globMatches } from "@keyward/common";
import type { ApprovalRule, ApprovalRuleKind } from "../../schema.js";

/** The first of `rules` of `kind` whose patterns match the service (and the secret, for access kinds; a null secret pattern matches any). */
export function firstMatchingRule(rules: readonly ApprovalRule[], kind: ApprovalRuleKind, names: { serviceName: string; secretName?: string }): ApprovalRule | undefined {
  return rules.find(
    (r) =>
      r.kind === kind &&
      globMatches(r.service_pattern, names.serviceName) &&
      (r.secret_pattern === null || (names.secretName !== undefined && globMatches(r.secret_pattern, names.secretName))),
  );
}

/** The reason an audit row of a rule's firing carries: the rule and its patterns. */
export const firingReason = (rule: ApprovalRule): string =>
  `approval rule ${rule.id} (${rule.kind} service ${rule.service_pattern}${rule.secret_pattern === null ? "" : ` secret ${rule.secret_pattern}`})`;
