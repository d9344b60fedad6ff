import { countPendingChangeRequests, createChangeRequest, type ChangeRequestKind, type Environment } from "@keyward/db";
import { auditedChange } from "../audit.js";
import { callerOf, type RouteContext } from "../context.js";
import { HttpProblem, sendJson } from "../problem.js";
import { toChangeRequest } from "./map.js";

/** Change requests one environment may have pending unless `maxPendingChangeRequests` says otherwise. */
export const DEFAULT_MAX_PENDING_CHANGE_REQUESTS = 100;

/**
 * In a protected environment a change waits for another person's approval: this opens the change
 * request (a set-value's value sealed, never stored in clear) with its `change_request.create` audit
 * row in one transaction and answers 202 with it. Returns false in an unprotected environment.
 * Past the cap on pending requests it is refused (409 `change_requests_full`, audited as refused).
 */
export async function holdIfProtected(
  ctx: RouteContext,
  env: Environment,
  change: { kind: ChangeRequestKind; target: string; payload: Record<string, unknown>; value?: string },
): Promise<boolean> {
  if (!env.protected) return false;
  const caller = callerOf(ctx);
  const at = ctx.deps.clock.now();
  const max = ctx.options.maxPendingChangeRequests ?? DEFAULT_MAX_PENDING_CHANGE_REQUESTS;
  const outcome = await auditedChange(ctx, async (trx, audit) => {
    const pending = await countPendingChangeRequests(trx, { environmentId: env.id, at });
    if (pending >= max) {
      audit({ action: "change_request.create", target: change.target, result: "refused", reason: `change_requests_full: ${pending} pending, ${change.kind}`, environment: env.name });
      return { kind: "full", pending } as const;
    }
    const r = await createChangeRequest(trx, ctx.deps.envelope, {
      environmentId: env.id,
      kind: change.kind,
      target: change.target,
      payload: change.payload,
      ...(change.value !== undefined ? { value: change.value } : {}),
      requestedBy: caller.actor,
      requestedByOwner: caller.owner ?? null,
      at,
    });
    audit({ action: "change_request.create", target: `change_request:${r.id}`, result: "ok", reason: `${change.kind} ${change.target}`, environment: env.name });
    return { kind: "ok", request: r } as const;
  });
  if (outcome.kind === "full") {
    throw new HttpProblem(409, "Too many change requests", `${env.name} has ${outcome.pending} pending change requests (the most allowed); approve, reject or let some expire first`, "environment", "change_requests_full");
  }
  sendJson(ctx.res, 202, toChangeRequest(outcome.request, env.name));
  return true;
}
