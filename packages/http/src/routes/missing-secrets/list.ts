import { routeEnvironment } from "../../environment.js";
import { listMissingSecrets } from "@keyward/db";
import type { MissingSecretList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { toMissingSecret } from "../../mappers.js";
import { sendJson } from "../../problem.js";

export const listMissingSecretsRoute: RouteHandler<"listMissingSecrets"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const page = await listMissingSecrets(ctx.deps.db, { environmentId: env.id, ...ctx.query });
  const body: MissingSecretList = { items: page.items.map(toMissingSecret), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, body);
};
