import { routeEnvironment } from "../../environment.js";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { loadSecret } from "./load.js";

export const getSecretRoute: RouteHandler<"getSecret"> = async (ctx) => {
  sendJson(ctx.res, 200, await loadSecret(ctx, await routeEnvironment(ctx), ctx.path.name));
};
