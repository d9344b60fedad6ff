import { assertNever } from "@keyward/common";
import { countEnvironmentContents, deleteEnvironment, getEnvironmentByName, zeroCounts, type DeleteEnvironmentResult } from "@keyward/db";
import { holdIfProtected } from "../../change-requests/hold.js";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendNoContent } from "../../problem.js";
import { environmentNotFound, heldContents } from "./map.js";
import { assertInScope } from "../../scope.js";

/**
 * Deletes an environment with everything in it. One that holds values, live tokens or grants needs
 * `?confirm=<its name>` (a typed confirmation, not a flag); the default environment never goes.
 * A protected one is deleted only as a change request another person approves (the same checks
 * apply to the request; the change request itself goes with the environment, its audit rows stay).
 */
export const deleteEnvironmentRoute: RouteHandler<"deleteEnvironment"> = async (ctx) => {
  const name = ctx.path.name;
  assertInScope(ctx.principal, name);
  const target = `environment:${name}`;
  const confirm = ctx.query.confirm;
  if (confirm !== undefined && confirm !== name) throw new HttpProblem(400, "Confirmation does not match", `confirm must repeat the environment's name (${name})`, "confirm");
  const env = await getEnvironmentByName(ctx.deps.db, name);
  if (env?.protected) {
    const counts = (await countEnvironmentContents(ctx.deps.db, env.id)).get(env.id) ?? zeroCounts();
    const refusal = env.is_default ? ({ kind: "is_default" } as const) : counts.values + counts.tokens + counts.grants > 0 && confirm !== name ? ({ kind: "not_empty", counts } as const) : undefined;
    if (refusal) {
      await auditedChange(ctx, async (_trx, audit) => audit({ action: "environment.delete", target, result: "refused", reason: refusal.kind, environment: name }));
      return refuse(name, refusal);
    }
    await holdIfProtected(ctx, env, { kind: "environment.delete", target: `environment:${env.id}`, payload: { name, confirm: confirm === name } });
    return;
  }
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await deleteEnvironment(trx, { name, confirm: confirm === name });
    if (r.kind === "ok") audit({ action: "environment.delete", target, result: "ok", reason: heldContents(r.counts), environment: name });
    else if (r.kind !== "not_found") audit({ action: "environment.delete", target, result: "refused", reason: r.kind, environment: name });
    return r;
  });
  if (result.kind === "ok") return sendNoContent(ctx.res);
  return refuse(name, result);
};

function refuse(name: string, result: Exclude<DeleteEnvironmentResult, { kind: "ok" }>): never {
  switch (result.kind) {
    case "not_found":
      throw environmentNotFound(name);
    case "is_default":
      throw new HttpProblem(409, "Default environment", `${name} is the default environment; make another the default first`, "name");
    case "not_empty":
      throw new HttpProblem(409, "Environment not empty", `${name} holds ${heldContents(result.counts)}; repeat its name in confirm to delete them with it`, "confirm");
    default:
      return assertNever(result, "delete-environment result");
  }
}
