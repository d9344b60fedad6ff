import { routeEnvironment } from "../../environment.js";
import { listServiceTokens } from "@keyward/db";
import type { ServiceTokenList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toServiceToken } from "../../mappers.js";
import { sendJson } from "../../problem.js";

export const listServiceTokensRoute: RouteHandler<"listServiceTokens"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const { status, service, limit, cursor } = ctx.query;
  const page = await listServiceTokens(ctx.deps.db, { environmentId: env.id, status, serviceName: service, limit, cursor });
  const now = ctx.deps.clock.now();
  const body: ServiceTokenList = { items: page.items.map((t) => toServiceToken(t, now, env.name)), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
