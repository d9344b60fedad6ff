import { listChangeRequests, listEnvironments } from "@keyward/db";
import type { ChangeRequestList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { environmentNamed } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertInScope } from "../../scope.js";
import { toChangeRequest } from "../../change-requests/map.js";

/** Change requests, newest first, of one environment or all; shown with their environment's name. */
export const listChangeRequestsRoute: RouteHandler<"listChangeRequests"> = async (ctx) => {
  const { environment, status, limit = 50, cursor } = ctx.query;
  let environmentId: string | undefined;
  if (environment !== undefined) {
    const env = await environmentNamed(ctx, environment);
    assertInScope(ctx.principal, env.name);
    environmentId = env.id;
  } else if (ctx.principal?.environments) {
    // A scoped caller lists one environment of its scope at a time, so nothing outside it is shown.
    throw new HttpProblem(403, "Environment out of scope", "this key is scoped to some environments: state one of them as environment", "environment");
  }
  const page = await listChangeRequests(ctx.deps.db, { ...(environmentId ? { environmentId } : {}), ...(status ? { status } : {}), limit, ...(cursor !== undefined ? { cursor } : {}) });
  const names = new Map((await listEnvironments(ctx.deps.db)).map((e) => [e.id, e.name]));
  const response: ChangeRequestList = { items: page.items.map((r) => toChangeRequest(r, names.get(r.environment_id) ?? "")), nextCursor: page.nextCursor };
  sendJson(ctx.res, 200, response);
};
