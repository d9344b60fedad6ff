import { randomUUID } from "node:crypto";

/** A new approval rule id, rule_<32 hex>. */
export const newApprovalRuleId = (): string => `rule_${randomUUID().replaceAll("-", "")}`;

/** The audit actor of a rule when it fires. */
export const ruleActor = (id: string): string => `rule:${id}`;
