import { deleteApprovalRule } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendNoContent } from "../../problem.js";
import { pathEnvironment } from "./environment.js";

/** Deletes a rule of the environment; it and its `approval_rule.delete` row commit together. */
export const deleteApprovalRuleRoute: RouteHandler<"deleteApprovalRule"> = async (ctx) => {
  const env = await pathEnvironment(ctx, ctx.path.name);
  const id = ctx.path.id;
  const deleted = await auditedChange(ctx, async (trx, audit) => {
    const rule = await deleteApprovalRule(trx, { environmentId: env.id, id });
    if (rule) audit({ action: "approval_rule.delete", target: `approval_rule:${id}`, result: "ok", reason: `${rule.kind} service ${rule.service_pattern}${rule.secret_pattern ? ` secret ${rule.secret_pattern}` : ""}`, environment: env.name });
    return rule;
  });
  if (!deleted) throw new HttpProblem(404, "Approval rule not found", `no approval rule ${id} in ${env.name}`, "id");
  return sendNoContent(ctx.res);
};
