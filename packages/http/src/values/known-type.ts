import type { ServerParts } from "../context.js";
import { HttpProblem } from "../problem.js";

/**
 * A type given for a secret must be one the server knows: a built-in name (or alias) or a custom
 * type registered on it. The spec admits any kebab-case name for the custom ones, so this is the check.
 */
export function assertKnownType(ctx: Pick<ServerParts, "secretTypes">, type: string | undefined): void {
  if (type === undefined || ctx.secretTypes.canonical(type) !== undefined) return;
  throw new HttpProblem(400, "Unknown secret type", `${type} is not a secret type here; known: ${ctx.secretTypes.names().join(", ")} (GET /api/secret-types)`, "type");
}
