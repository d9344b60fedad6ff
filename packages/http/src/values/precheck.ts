import { getSecretMetadata, type Environment } from "@keyward/db";
import type { RouteContext } from "../context.js";
import { HttpProblem } from "../problem.js";

/** The 400 for a refused value: names the rule (e.g. "type llm-api-key: must start with sk-"), never the value. */
export function invalidValue(problem: string): HttpProblem {
  return new HttpProblem(400, "Invalid value", problem, "value", "invalid_value");
}

/**
 * Checks a value before it is held in a change request, so a requester hears at once what is wrong;
 * the apply checks it again (the type or rules may change meanwhile). A secret this environment does
 * not have is left to the write, which names that.
 */
export async function precheckValue(ctx: RouteContext, env: Environment, name: string, value: string): Promise<void> {
  const secret = await getSecretMetadata(ctx.deps.db, { environmentId: env.id, name });
  if (!secret) return;
  const r = ctx.checkValue(value, { type: secret.type, rulesJson: secret.rules_json });
  if (!r.ok) throw invalidValue(r.problem);
}
