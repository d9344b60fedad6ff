import { assertNever } from "@keyward/common";
import { decideServiceToken, type TokenDecision } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { toServiceToken } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

/** approveServiceToken and revokeServiceToken: pending → approved, and anything but revoked → revoked. */
export const decideServiceTokenRoute =
  <O extends "approveServiceToken" | "revokeServiceToken">(decision: TokenDecision): RouteHandler<O> =>
  async (ctx) => {
    const id = ctx.path.id;
    const result = await decideServiceToken(ctx.deps.db, { id, decision, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    switch (result.kind) {
      case "ok":
        await auditAdmin(ctx, { action: `token.${decision}`, target: `token:${id}`, result: "ok" });
        return sendJson(ctx.res, 200, toServiceToken(result.token));
      case "not_found":
        throw new HttpProblem(404, "Service token not found", `no service token with id ${id}`, "id");
      case "invalid_transition":
        await auditAdmin(ctx, { action: `token.${decision}`, target: `token:${id}`, result: "refused", reason: `token is ${result.status}` });
        throw new HttpProblem(409, `Token cannot be ${decision === "approve" ? "approved" : "revoked"}`, `the token is ${result.status}`, "id");
      default:
        return assertNever(result, "token decision");
    }
  };
