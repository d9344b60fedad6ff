import { listSecrets } from "@keyward/db";
import type { SecretList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toSecret } from "../../mappers.js";
import { sendJson } from "../../problem.js";
import { enumParam, intParam } from "../../query-params.js";

export const listSecretsRoute: RouteHandler = async (ctx) => {
  const limit = intParam(ctx.url, "limit", 1, 500) ?? 100;
  const status = enumParam(ctx.url, "status", ["stub", "active", "disabled"] as const);
  const after = ctx.url.searchParams.get("after") ?? undefined;
  const rows = await listSecrets(ctx.deps.db, { limit, status, after });
  const body: SecretList = { items: rows.map(toSecret), nextCursor: rows.length === limit ? rows[rows.length - 1]!.name : null };
  sendJson(ctx.res, 200, body);
};
