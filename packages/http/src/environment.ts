import { getDefaultEnvironment, type Environment } from "@keyward/db";
import type { RouteContext } from "./context.js";

/**
 * The environment an admin route acts in. Until the admin API takes `?environment=` (a later step
 * of issue #13), every route acts in the instance's default environment.
 */
export function routeEnvironment(ctx: Pick<RouteContext, "deps">): Promise<Environment> {
  return getDefaultEnvironment(ctx.deps.db);
}
