import { assertNever } from "@keyward/common";
import { createEnvironment } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { toEnvironment } from "./map.js";
import { assertUnscoped } from "../../scope.js";

/** A new environment starts empty and is never the default; it and its audit row commit together. */
export const createEnvironmentRoute: RouteHandler<"createEnvironment"> = async (ctx) => {
  assertUnscoped(ctx.principal, "create an environment");
  const { name } = ctx.body;
  const target = `environment:${name}`;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await createEnvironment(trx, { name, protected: ctx.body.protected, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit(r.kind === "ok" ? { action: "environment.create", target, result: "ok", reason: r.environment.protected ? "protected" : undefined, environment: name } : { action: "environment.create", target, result: "refused", reason: r.kind });
    return r;
  });
  switch (result.kind) {
    case "ok":
      return sendJson(ctx.res, 201, toEnvironment(result.environment, undefined));
    case "exists":
      throw new HttpProblem(409, "Environment exists", `an environment named ${name} already exists`, "name");
    case "invalid_name":
      // The spec's pattern is the same rule, so validation refuses it first; kept for a direct caller.
      throw new HttpProblem(400, "Invalid environment name", "an environment name is a lower-case slug", "name");
    default:
      return assertNever(result, "create-environment result");
  }
};
