import { getSecretMetadata, type Environment } from "@keyward/db";
import type { Secret } from "@keyward/spec";
import type { RouteContext } from "../../context.js";
import { toSecret } from "../../mappers.js";
import { HttpProblem } from "../../problem.js";

export const secretNotFound = (name: string, hint = "") => new HttpProblem(404, "Secret not found", `no secret named ${name}${hint}`, "name");

/**
 * Writing a value makes a secret active, so a write to a disabled one would quietly re-enable it,
 * which enableSecret reserves to owners and admins: refused (409) until it is enabled.
 */
export const secretDisabled = (name: string) => new HttpProblem(409, "Secret is disabled", `${name} is disabled; enable it before writing a value`, "name");

/** The named secret's metadata as the spec shapes it, or a 404 naming it. */
export async function loadSecret(ctx: Pick<RouteContext, "deps">, env: Environment, name: string): Promise<Secret> {
  const row = await getSecretMetadata(ctx.deps.db, { environmentId: env.id, name });
  if (!row) throw secretNotFound(name);
  return toSecret(row, ctx.deps.clock.now(), env.name, ctx.deps.credentialTester?.has(row.type) ?? false);
}
