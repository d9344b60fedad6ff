import type { Kysely } from "kysely";
import type { AuditSink } from "../audit/audited.js";
import { decideAccessRequest } from "../access-requests/decide.js";
import { listPendingRequestsOfService } from "../access-requests/list-pending-of-service.js";
import type { Database } from "../../schema.js";
import { ruleAuditRow } from "./audit-row.js";
import { lockEnvironmentForRules } from "./current-environment.js";
import { ruleActor } from "./ids.js";
import { listApprovalRules } from "./list.js";
import { firstMatchingRule } from "./match.js";

/**
 * After a token of `serviceName` is approved (by an admin or a rule): grants the service's pending
 * access requests in that environment that an `access.grant` rule matches, each with its
 * `access.grant` audit row (actor `rule:<id>`), in the caller's transaction. Nothing in a protected
 * environment. Returns how many were granted.
 */
export async function grantPendingRequestsByRules(db: Kysely<Database>, audit: AuditSink, input: { environmentId: string; serviceName: string; at: Date }): Promise<number> {
  const rules = await listApprovalRules(db, { environmentId: input.environmentId, kinds: ["access.grant"] });
  if (rules.length === 0) return 0;
  const environment = await lockEnvironmentForRules(db, input.environmentId);
  if (environment.protected) return 0;
  let granted = 0;
  for (const request of await listPendingRequestsOfService(db, { environmentId: environment.id, serviceName: input.serviceName })) {
    const rule = firstMatchingRule(rules, "access.grant", { serviceName: request.service_name, secretName: request.secret_name });
    if (!rule) continue;
    const r = await decideAccessRequest(db, { environmentId: environment.id, id: request.id, decision: "grant", actor: ruleActor(rule.id), at: input.at });
    if (r.kind !== "ok") continue;
    audit(ruleAuditRow(rule, { action: "access.grant", target: `access:${request.service_name}/${request.secret_name}`, result: "ok", environment: environment.name, at: input.at }));
    granted++;
  }
  return granted;
}
