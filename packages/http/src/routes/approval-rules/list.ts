import { listApprovalRules } from "@keyward/db";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { pathEnvironment } from "./environment.js";
import { toApprovalRule } from "./map.js";

/** An environment's rules, each saying whether it fires there now. */
export const listApprovalRulesRoute: RouteHandler<"listApprovalRules"> = async (ctx) => {
  const env = await pathEnvironment(ctx, ctx.path.name);
  const rules = await listApprovalRules(ctx.deps.db, { environmentId: env.id });
  return sendJson(ctx.res, 200, { items: rules.map((r) => toApprovalRule(r, env)) });
};
