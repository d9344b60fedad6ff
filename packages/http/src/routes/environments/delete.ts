import { assertNever } from "@keyward/common";
import { deleteEnvironment } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendNoContent } from "../../problem.js";
import { environmentNotFound } from "./map.js";
import { assertInScope } from "../../scope.js";

/**
 * Deletes an environment with everything in it. One that holds values, live tokens or grants needs
 * `?confirm=<its name>` (a typed confirmation, not a flag); the default environment never goes.
 */
export const deleteEnvironmentRoute: RouteHandler<"deleteEnvironment"> = async (ctx) => {
  const name = ctx.path.name;
  assertInScope(ctx.principal, name);
  const target = `environment:${name}`;
  const confirm = ctx.query.confirm;
  if (confirm !== undefined && confirm !== name) throw new HttpProblem(400, "Confirmation does not match", `confirm must repeat the environment's name (${name})`, "confirm");
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await deleteEnvironment(trx, { name, confirm: confirm === name });
    if (r.kind === "ok") audit({ action: "environment.delete", target, result: "ok", reason: held(r.counts), environment: name });
    else if (r.kind !== "not_found") audit({ action: "environment.delete", target, result: "refused", reason: r.kind, environment: name });
    return r;
  });
  switch (result.kind) {
    case "ok":
      return sendNoContent(ctx.res);
    case "not_found":
      throw environmentNotFound(name);
    case "is_default":
      throw new HttpProblem(409, "Default environment", `${name} is the default environment; make another the default first`, "name");
    case "not_empty":
      throw new HttpProblem(409, "Environment not empty", `${name} holds ${held(result.counts)}; repeat its name in confirm to delete them with it`, "confirm");
    default:
      return assertNever(result, "delete-environment result");
  }
};

const held = (c: { values: number; tokens: number; grants: number }) => `${c.values} value(s), ${c.tokens} token(s), ${c.grants} grant(s)`;
