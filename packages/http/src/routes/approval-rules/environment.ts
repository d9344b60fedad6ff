import { getEnvironmentByName, type Environment } from "@keyward/db";
import type { RouteContext } from "../../context.js";
import { assertInScope } from "../../scope.js";
import { environmentNotFound } from "../environments/map.js";

/** The environment named by the path, for a caller allowed there: 403 naming `environment` outside its scope, else 404 naming `name`. */
export async function pathEnvironment(ctx: Pick<RouteContext, "deps" | "principal">, name: string): Promise<Environment> {
  assertInScope(ctx.principal, name);
  const env = await getEnvironmentByName(ctx.deps.db, name);
  if (!env) throw environmentNotFound(name);
  return env;
}
