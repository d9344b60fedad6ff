import { listServiceTokens } from "@keyward/db";
import type { ServiceTokenList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toServiceToken } from "../../mappers.js";
import { sendJson } from "../../problem.js";
import { enumParam } from "../../query-params.js";

export const listServiceTokensRoute: RouteHandler = async (ctx) => {
  const status = enumParam(ctx.url, "status", ["pending", "approved", "revoked"] as const);
  const body: ServiceTokenList = { items: (await listServiceTokens(ctx.deps.db, { status })).map(toServiceToken) };
  sendJson(ctx.res, 200, body);
};
