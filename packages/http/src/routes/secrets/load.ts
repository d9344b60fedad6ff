import { getSecretMetadata } from "@keyward/db";
import type { Secret } from "@keyward/spec";
import type { RouteContext } from "../../context.js";
import { toSecret } from "../../mappers.js";
import { HttpProblem } from "../../problem.js";

export const secretNotFound = (name: string) => new HttpProblem(404, "Secret not found", `no secret named ${name}`, "name");

/** The named secret's metadata as the spec shapes it, or a 404 naming it. */
export async function loadSecret(ctx: RouteContext, name: string): Promise<Secret> {
  const row = await getSecretMetadata(ctx.deps.db, name);
  if (!row) throw secretNotFound(name);
  return toSecret(row, ctx.deps.clock.now());
}
