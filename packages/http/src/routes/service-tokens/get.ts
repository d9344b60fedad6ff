import { routeEnvironment } from "../../environment.js";
import { getServiceTokenById } from "@keyward/db";
import type { RouteHandler } from "../../context.js";
import { toServiceToken } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

/** One token's metadata; the query never selects the hash and the mapper never shows it. */
export const getServiceTokenRoute: RouteHandler<"getServiceToken"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const id = ctx.path.id;
  const row = await getServiceTokenById(ctx.deps.db, { environmentId: env.id, id });
  if (!row) throw new HttpProblem(404, "Service token not found", `no service token with id ${id}`, "id");
  sendJson(ctx.res, 200, toServiceToken(row, ctx.deps.clock.now(), env.name));
};
