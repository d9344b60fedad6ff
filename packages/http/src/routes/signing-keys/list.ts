import { listSigningKeys } from "@keyward/db";
import type { SigningKeyList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { routeEnvironment } from "../../environment.js";
import { sendJson } from "../../problem.js";
import { toSigningKey } from "./load.js";

export const listSigningKeysRoute: RouteHandler<"listSigningKeys"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const keys = await listSigningKeys(ctx.deps.db, ctx.deps.envelope, { environmentId: env.id });
  const body: SigningKeyList = { items: keys.map((k) => toSigningKey(k, env)) };
  sendJson(ctx.res, 200, body);
};
