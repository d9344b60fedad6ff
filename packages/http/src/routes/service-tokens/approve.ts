import { assertNever } from "@keyward/common";
import { decideServiceToken } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { toServiceToken } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

export const approveServiceTokenRoute: RouteHandler = async (ctx) => {
  const id = ctx.params.id!;
  const result = await decideServiceToken(ctx.deps.db, { id, decision: "approve", actor: `admin:${ctx.admin.id}`, at: ctx.deps.clock.now() });
  switch (result.kind) {
    case "ok":
      await auditAdmin(ctx, { action: "token.approve", target: `token:${id}`, result: "ok" });
      return sendJson(ctx.res, 200, toServiceToken(result.token));
    case "not_found":
      throw new HttpProblem(404, "Service token not found", `no service token with id ${id}`, "id");
    case "invalid_transition":
      throw new HttpProblem(409, "Token cannot be approved", `the token is ${result.status}`, "id");
    default:
      return assertNever(result, "token decision");
  }
};
