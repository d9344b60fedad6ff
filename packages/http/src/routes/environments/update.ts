import { assertNever } from "@keyward/common";
import { countEnvironmentContents, getEnvironmentByName, updateEnvironment } from "@keyward/db";
import { holdIfProtected } from "../../change-requests/hold.js";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { describeEnvironmentChange, environmentNotFound, looseningField, toEnvironment } from "./map.js";
import { assertInScope } from "../../scope.js";

/**
 * Rename, protect / unprotect, approval settings, make default: one transaction, one audit row
 * saying what changed. Narrowing a protected environment (more approvals, a shorter lifetime) takes
 * effect at once; loosening it would let one admin weaken the rule alone, so it is itself a change
 * request (`environment.update`, the patch in its payload).
 */
export const updateEnvironmentRoute: RouteHandler<"updateEnvironment"> = async (ctx) => {
  const name = ctx.path.name;
  assertInScope(ctx.principal, name);
  const { name: newName, protected: isProtected, default: makeDefault, approvalsRequired, changeRequestTtlSeconds } = ctx.body;
  const env = await getEnvironmentByName(ctx.deps.db, name);
  const loosens = env && looseningField(env, ctx.body);
  if (env && loosens) {
    if (newName !== undefined || makeDefault !== undefined) {
      throw new HttpProblem(400, "Loosen alone", "loosening a protected environment is approved on its own: send only protected, approvalsRequired and changeRequestTtlSeconds", loosens);
    }
    const patch = { ...(isProtected !== undefined ? { protected: isProtected } : {}), ...(approvalsRequired !== undefined ? { approvalsRequired } : {}), ...(changeRequestTtlSeconds !== undefined ? { changeRequestTtlSeconds } : {}) };
    await holdIfProtected(ctx, env, { kind: "environment.update", target: `environment:${env.id}`, payload: { name, patch } });
    return;
  }
  const result = await auditedChange(ctx, async (trx, audit) => {
    // Under the row lock: a change request applied since the read above may have narrowed it, making this patch a loosening.
    const locked = await trx.selectFrom("environments").selectAll().where("name", "=", name).forUpdate().executeTakeFirst();
    if (locked && looseningField(locked, ctx.body)) return { kind: "loosens" } as const;
    const r = await updateEnvironment(trx, { name, newName, protected: isProtected, default: makeDefault, approvalsRequired, changeRequestTtlSeconds });
    if (r.kind === "ok") {
      audit({ action: "environment.update", target: `environment:${r.environment.id}`, result: "ok", reason: describeEnvironmentChange(r.before, r.environment), environment: r.environment.name });
    } else if (r.kind !== "not_found") {
      audit({ action: "environment.update", target: `environment:${name}`, result: "refused", reason: r.kind, environment: name });
    }
    return r;
  });
  switch (result.kind) {
    case "ok": {
      const counts = await countEnvironmentContents(ctx.deps.db, result.environment.id);
      return sendJson(ctx.res, 200, toEnvironment(result.environment, counts.get(result.environment.id)));
    }
    case "loosens":
      throw new HttpProblem(409, "Environment changed", `${name}'s approval settings changed meanwhile; send the change again`, "name");
    case "not_found":
      throw environmentNotFound(name);
    case "exists":
      throw new HttpProblem(409, "Environment exists", `an environment named ${newName} already exists`, "name");
    case "invalid_name":
      throw new HttpProblem(400, "Invalid environment name", "an environment name is a lower-case slug", "name");
    case "default_required":
      throw new HttpProblem(400, "Default required", "there is always one default environment: make another the default instead", "default");
    default:
      return assertNever(result, "update-environment result");
  }
};
