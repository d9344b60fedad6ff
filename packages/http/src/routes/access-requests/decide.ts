import { decideAccessRequest, type AccessDecision } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { toAccessRequest } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

/** Approve (grant) or deny one (service, secret) access request. */
export const decideAccessRequestRoute =
  (decision: AccessDecision): RouteHandler =>
  async (ctx) => {
    const id = ctx.params.id!;
    const result = await decideAccessRequest(ctx.deps.db, { id, decision, actor: `admin:${ctx.admin.id}`, at: ctx.deps.clock.now() });
    if (result.kind === "not_found") throw new HttpProblem(404, "Access request not found", `no access request with id ${id}`, "id");
    await auditAdmin(ctx, { action: `access.${decision}`, target: `access:${result.request.service_name}/${result.request.secret_name}`, result: "ok" });
    sendJson(ctx.res, 200, toAccessRequest(result.request));
  };
