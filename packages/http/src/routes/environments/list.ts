import { countEnvironmentContents, listEnvironments } from "@keyward/db";
import type { EnvironmentList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { toEnvironment } from "./map.js";

export const listEnvironmentsRoute: RouteHandler<"listEnvironments"> = async (ctx) => {
  const [rows, counts] = await Promise.all([listEnvironments(ctx.deps.db), countEnvironmentContents(ctx.deps.db)]);
  const body: EnvironmentList = { items: rows.map((r) => toEnvironment(r, counts.get(r.id))) };
  sendJson(ctx.res, 200, body);
};
