import type { Kysely } from "kysely";
import type { AuditSink } from "../audit/audited.js";
import { decideAccessRequest } from "../access-requests/decide.js";
import type { AccessRequest, ApprovalRule, Database } from "../../schema.js";
import { ruleAuditRow } from "./audit-row.js";
import { lockEnvironmentForRules } from "./current-environment.js";
import { ruleActor } from "./ids.js";
import { listApprovalRules } from "./list.js";
import { firstMatchingRule } from "./match.js";

export type RequestRuleOutcome = { kind: "none" } | { kind: "denied" | "granted"; rule: ApprovalRule; request: AccessRequest };

/**
 * Decides a just-recorded pending access request by its environment's rules, in the transaction
 * that recorded it: an `access.reject` match denies it; else an `access.grant` match (service and
 * secret patterns) grants it, only in an environment that is not protected now. The audit row is
 * the usual `access.deny` / `access.grant`, with actor `rule:<id>`.
 */
export async function applyRulesToNewRequest(db: Kysely<Database>, audit: AuditSink, input: { request: AccessRequest; at: Date }): Promise<RequestRuleOutcome> {
  const { request, at } = input;
  const rules = await listApprovalRules(db, { environmentId: request.environment_id, kinds: ["access.reject", "access.grant"] });
  if (rules.length === 0) return { kind: "none" };
  const environment = await lockEnvironmentForRules(db, request.environment_id);
  const names = { serviceName: request.service_name, secretName: request.secret_name };
  const reject = firstMatchingRule(rules, "access.reject", names);
  const grant = reject || environment.protected ? undefined : firstMatchingRule(rules, "access.grant", names);
  const rule = reject ?? grant;
  if (!rule) return { kind: "none" };
  const decision = reject ? "deny" : "grant";
  const r = await decideAccessRequest(db, { environmentId: environment.id, id: request.id, decision, actor: ruleActor(rule.id), at });
  if (r.kind !== "ok") return { kind: "none" };
  audit(ruleAuditRow(rule, { action: `access.${decision}`, target: `access:${request.service_name}/${request.secret_name}`, result: "ok", environment: environment.name, at }));
  return { kind: decision === "deny" ? "denied" : "granted", rule, request: r.request };
}
