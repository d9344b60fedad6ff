import { assertNever } from "@keyward/common";
import { createApprovalRule, PROTECTED_ENVIRONMENT_RULES } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { pathEnvironment } from "./environment.js";
import { toApprovalRule } from "./map.js";

/**
 * Adds a rule; it and its `approval_rule.create` row commit together. A protected environment takes
 * only the narrowing kinds: an approving one is a 409 naming `environment` (its refusal is audited).
 */
export const createApprovalRuleRoute: RouteHandler<"createApprovalRule"> = async (ctx) => {
  const env = await pathEnvironment(ctx, ctx.path.name);
  const { kind, servicePattern, secretPattern } = ctx.body;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await createApprovalRule(trx, { environmentId: env.id, kind, servicePattern, secretPattern, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    const what = `${kind} service ${servicePattern}${secretPattern ? ` secret ${secretPattern}` : ""}`;
    if (r.kind === "ok") audit({ action: "approval_rule.create", target: `approval_rule:${r.rule.id}`, result: "ok", reason: what, environment: env.name });
    if (r.kind === "protected") audit({ action: "approval_rule.create", target: `environment:${env.name}`, result: "refused", reason: `protected environment: ${what}`, environment: env.name });
    return r;
  });
  switch (result.kind) {
    case "ok":
      return sendJson(ctx.res, 201, toApprovalRule(result.rule, env));
    case "invalid":
      throw new HttpProblem(400, "Invalid body", `${result.field}: ${result.problem}`, result.field);
    case "protected":
      throw new HttpProblem(409, "Protected environment", `${env.name} is protected; ${PROTECTED_ENVIRONMENT_RULES}`, "environment");
    default:
      return assertNever(result, "create-approval-rule result");
  }
};
