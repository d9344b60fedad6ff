import type { Environment } from "@keyward/db";
import type { RouteContext } from "./context.js";
import { HttpProblem } from "./problem.js";
import { assertInScope } from "./scope.js";

/** A route whose spec operation takes the shared `?environment=` parameter. */
type WithEnvironment = Pick<RouteContext, "lookups" | "principal"> & { query: { environment?: string } };

export const unknownEnvironment = (name: string, field = "environment") => new HttpProblem(400, "Unknown environment", `no environment named ${name}`, field);

/** The environment called `name`; an unknown one is a 400 naming `field` (callers check scopes after). */
export async function environmentNamed(ctx: Pick<RouteContext, "lookups">, name: string, field = "environment"): Promise<Environment> {
  const env = await ctx.lookups.environmentByName(name);
  if (!env) throw unknownEnvironment(name, field);
  return env;
}

/**
 * The environment an admin route acts in: `?environment=<name>` (the spec bounds it to the slug
 * rule), or the instance's default when omitted. An unknown name is a 400 naming `environment`; a
 * caller scoped to other environments gets a 403 naming it (after the 400, so scopes reveal nothing).
 */
export async function routeEnvironment(ctx: WithEnvironment): Promise<Environment> {
  const name = ctx.query.environment;
  const env = name === undefined ? await ctx.lookups.defaultEnvironment() : await environmentNamed(ctx, name);
  assertInScope(ctx.principal, env.name);
  return env;
}
