import { createChangeRequest, type ChangeRequestKind, type Environment } from "@keyward/db";
import { auditedChange } from "../audit.js";
import { callerOf, type RouteContext } from "../context.js";
import { sendJson } from "../problem.js";
import { toChangeRequest } from "./map.js";

/**
 * In a protected environment a change waits for another person's approval: this opens the change
 * request (a set-value's value sealed, never stored in clear) with its `change_request.create` audit
 * row in one transaction and answers 202 with it. Returns false in an unprotected environment.
 */
export async function holdIfProtected(
  ctx: RouteContext,
  env: Environment,
  change: { kind: ChangeRequestKind; target: string; payload: Record<string, unknown>; value?: string },
): Promise<boolean> {
  if (!env.protected) return false;
  const caller = callerOf(ctx);
  const request = await auditedChange(ctx, async (trx, audit) => {
    const r = await createChangeRequest(trx, ctx.deps.envelope, {
      environmentId: env.id,
      kind: change.kind,
      target: change.target,
      payload: change.payload,
      ...(change.value !== undefined ? { value: change.value } : {}),
      requestedBy: caller.actor,
      requestedByOwner: caller.owner ?? null,
      at: ctx.deps.clock.now(),
    });
    audit({ action: "change_request.create", target: `change_request:${r.id}`, result: "ok", reason: `${change.kind} ${change.target}`, environment: env.name });
    return r;
  });
  sendJson(ctx.res, 202, toChangeRequest(request, env.name));
  return true;
}
