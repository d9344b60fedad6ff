import type { CurrentAdmin } from "@keyward/spec";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

export const getCurrentAdminRoute: RouteHandler<"getCurrentAdmin"> = async (ctx) => {
  const { id, name, role, via, environments, owner } = callerOf(ctx);
  const body: CurrentAdmin = { id, name, role, via, environments: environments ? [...environments] : null, owner: owner ?? null };
  sendJson(ctx.res, 200, body);
};
