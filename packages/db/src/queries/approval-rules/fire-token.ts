import type { Kysely } from "kysely";
import type { AuditSink } from "../audit/audited.js";
import { tokenApprovalConcern } from "../service-tokens/approval-concern.js";
import { decideServiceToken } from "../service-tokens/decide.js";
import type { ApprovalRule, Database, ServiceToken } from "../../schema.js";
import { ruleAuditRow } from "./audit-row.js";
import { lockEnvironmentForRules } from "./current-environment.js";
import { grantPendingRequestsByRules } from "./grant-pending.js";
import { ruleActor } from "./ids.js";
import { listApprovalRules } from "./list.js";
import { firstMatchingRule } from "./match.js";

export type TokenRuleOutcome =
  | { kind: "none" }
  | { kind: "rejected"; rule: ApprovalRule; token: ServiceToken }
  | { kind: "approved"; rule: ApprovalRule; token: ServiceToken; granted: number }
  /** A `token.approve` rule matched, but the token needs an admin's look (see tokenApprovalConcern). */
  | { kind: "held"; rule: ApprovalRule; concern: string };

/**
 * Decides a just-registered pending token by its environment's rules, in the transaction that
 * recorded it: a `token.reject` match revokes it; else a `token.approve` match approves it, only in
 * an environment that is not protected now and only when nothing flags the token for an admin, and
 * then grants its service's pending requests that `access.grant` rules match. Each firing writes the
 * usual audit row (`token.revoke`, `token.approve`, `access.grant`) with actor `rule:<id>`.
 */
export async function applyRulesToNewToken(db: Kysely<Database>, audit: AuditSink, input: { token: ServiceToken; at: Date }): Promise<TokenRuleOutcome> {
  const { token, at } = input;
  const rules = await listApprovalRules(db, { environmentId: token.environment_id, kinds: ["token.reject", "token.approve"] });
  if (rules.length === 0) return { kind: "none" };
  const environment = await lockEnvironmentForRules(db, token.environment_id);
  const target = `token:${token.id}`;
  const names = { serviceName: token.service_name };
  const reject = firstMatchingRule(rules, "token.reject", names);
  if (reject) {
    const r = await decideServiceToken(db, { environmentId: environment.id, id: token.id, decision: "revoke", actor: ruleActor(reject.id), at });
    if (r.kind !== "ok") return { kind: "none" };
    audit(ruleAuditRow(reject, { action: "token.revoke", target, result: "ok", environment: environment.name, at }));
    return { kind: "rejected", rule: reject, token: r.token };
  }
  // Approving rules never fire in a protected environment (the two-person rule stands).
  const approve = environment.protected ? undefined : firstMatchingRule(rules, "token.approve", names);
  if (!approve) return { kind: "none" };
  const concern = await tokenApprovalConcern(db, token);
  if (concern) {
    audit(ruleAuditRow(approve, { action: "token.approve", target, result: "refused", environment: environment.name, at, reason: `left for an admin: ${concern}` }));
    return { kind: "held", rule: approve, concern };
  }
  const r = await decideServiceToken(db, { environmentId: environment.id, id: token.id, decision: "approve", actor: ruleActor(approve.id), at });
  if (r.kind !== "ok") return { kind: "none" };
  audit(ruleAuditRow(approve, { action: "token.approve", target, result: "ok", environment: environment.name, at }));
  const granted = await grantPendingRequestsByRules(db, audit, { environmentId: environment.id, serviceName: token.service_name, at });
  return { kind: "approved", rule: approve, token: r.token, granted };
}
