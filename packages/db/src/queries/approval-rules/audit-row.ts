import type { ApprovalRule, NewAuditRow } from "../../schema.js";
import { firingReason } from "./match.js";
import { ruleActor } from "./ids.js";

/** The audit row of a rule's firing: the rule is the actor (`rule:<id>`), the reason names it and its patterns. */
export function ruleAuditRow(rule: ApprovalRule, entry: { action: string; target: string; result: string; environment: string; at: Date; reason?: string }): NewAuditRow {
  return {
    at: entry.at,
    actor_type: "rule",
    actor_id: ruleActor(rule.id),
    action: entry.action,
    target: entry.target,
    result: entry.result,
    reason: entry.reason ? `${firingReason(rule)}: ${entry.reason}` : firingReason(rule),
    ip: null,
    user_agent: null,
    request_id: null,
    count: null,
    environment: entry.environment,
  };
}
