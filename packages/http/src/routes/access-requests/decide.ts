import { holdIfProtected } from "../../change-requests/hold.js";
import { routeEnvironment } from "../../environment.js";
import { assertNever } from "@keyward/common";
import { decideAccessRequest, type AccessDecision } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { toAccessRequest } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

/** approve (grant), deny or revoke one (service, secret) access request. */
export const decideAccessRequestRoute =
  <O extends "approveAccessRequest" | "denyAccessRequest" | "revokeAccessRequest">(decision: AccessDecision): RouteHandler<O> =>
  async (ctx) => {
    const env = await routeEnvironment(ctx);
    const id = ctx.path.id;
    if (decision === "grant" && (await holdIfProtected(ctx, env, { kind: "access.grant", target: `access:${id}`, payload: { id } }))) return;
    const result = await auditedChange(ctx, async (trx, audit) => {
      const r = await decideAccessRequest(trx, { environmentId: env.id, id, decision, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
      if (r.kind === "ok") audit({ action: `access.${decision}`, target: `access:${r.request.service_name}/${r.request.secret_name}`, result: "ok", environment: env.name });
      return r;
    });
    switch (result.kind) {
      case "ok":
        return sendJson(ctx.res, 200, toAccessRequest(result.request, env.name));
      case "not_found":
        throw new HttpProblem(404, "Access request not found", `no access request with id ${id}`, "id");
      default:
        return assertNever(result, "access decision");
    }
  };
