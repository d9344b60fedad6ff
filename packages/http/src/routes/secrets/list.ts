import { routeEnvironment } from "../../environment.js";
import { listSecrets } from "@keyward/db";
import type { SecretList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toSecret } from "../../mappers.js";
import { sendJson } from "../../problem.js";

export const listSecretsRoute: RouteHandler<"listSecrets"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const now = ctx.deps.clock.now();
  const { q, status, type, rotation, limit, cursor } = ctx.query;
  const page = await listSecrets(ctx.deps.db, { environmentId: env.id, q, status, type, rotation, limit, cursor, now });
  const body: SecretList = { items: page.items.map((r) => toSecret(r, now, env.name, ctx.deps.credentialTester?.has(r.type) ?? false)), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
