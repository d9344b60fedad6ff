import { holdIfProtected } from "../../change-requests/hold.js";
import { routeEnvironment } from "../../environment.js";
import { assertNever } from "@keyward/common";
import { decideServiceToken, getServiceTokenById, grantPendingRequestsByRules, type TokenDecision } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteContext, type RouteHandler } from "../../context.js";
import { toServiceToken } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

/**
 * The expiry asked for on approve: undefined keeps the stored one, null clears it, a date sets it.
 * ajv has already checked the type and the RFC 3339 format; this checks that it is a real instant
 * after the server's clock. The problem names the field and never echoes the input.
 */
function expiryOf(ctx: RouteContext<"approveServiceToken">, now: Date): Date | null | undefined {
  const raw = ctx.body?.expiresAt;
  if (raw === undefined || raw === null) return raw;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new HttpProblem(400, "Invalid body", "expiresAt is not a valid date-time", "expiresAt");
  if (at.getTime() <= now.getTime()) throw new HttpProblem(400, "Invalid body", "expiresAt must be in the future", "expiresAt");
  return at;
}

/**
 * approveServiceToken and revokeServiceToken: pending → approved, and anything but revoked → revoked.
 * Approving an approved token again is how its expiry changes (`expiresAt`: a date sets it, null
 * clears it, leaving it out keeps it); the db trigger announces the change to every gRPC server.
 */
export const decideServiceTokenRoute =
  <O extends "approveServiceToken" | "revokeServiceToken">(decision: TokenDecision): RouteHandler<O> =>
  async (ctx) => {
    const env = await routeEnvironment(ctx);
    const id = ctx.path.id;
    const now = ctx.deps.clock.now();
    const expiresAt = decision === "approve" ? expiryOf(ctx as RouteContext<"approveServiceToken">, now) : undefined;
    const action = `token.${decision}`;
    const target = `token:${id}`;
    if (decision === "approve" && (await holdIfProtected(ctx, env, { kind: "token.approve", target, payload: { id, ...(expiresAt !== undefined ? { expiresAt: expiresAt === null ? null : expiresAt.toISOString() } : {}) } }))) return;
    const result = await auditedChange(ctx, async (trx, audit, rows) => {
      const r = await decideServiceToken(trx, { environmentId: env.id, id, decision, actor: callerOf(ctx).actor, at: now, ...(expiresAt !== undefined ? { expiresAt } : {}) });
      // The expiry is metadata, not a secret: the audit row says what the approval set.
      const reason = expiresAt === undefined ? undefined : expiresAt === null ? "expiry cleared" : `expires ${expiresAt.toISOString()}`;
      if (r.kind === "ok") audit({ action, target, result: "ok", environment: env.name, ...(reason ? { reason } : {}) });
      if (r.kind === "invalid_transition") audit({ action, target, result: "refused", reason: `token is ${r.status}`, environment: env.name });
      // The service's pending requests that an access.grant rule matches are granted with the approval (rules audit as themselves).
      if (r.kind === "ok" && decision === "approve") await grantPendingRequestsByRules(trx, rows, { environmentId: env.id, serviceName: r.token.service_name, at: now });
      return r;
    });
    switch (result.kind) {
      case "ok":
        return sendJson(ctx.res, 200, toServiceToken((await getServiceTokenById(ctx.deps.db, { environmentId: env.id, id }))!, now, env.name));
      case "not_found":
        throw new HttpProblem(404, "Service token not found", `no service token with id ${id}`, "id");
      case "invalid_transition":
        throw new HttpProblem(409, `Token cannot be ${decision === "approve" ? "approved" : "revoked"}`, `the token is ${result.status}`, "id");
      default:
        return assertNever(result, "token decision");
    }
  };
