import { assertNever } from "@keyward/common";
import { countEnvironmentContents, getEnvironmentByName, updateEnvironment } from "@keyward/db";
import { holdIfProtected } from "../../change-requests/hold.js";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { environmentNotFound, toEnvironment } from "./map.js";
import { assertInScope } from "../../scope.js";

/** Rename, protect / unprotect, make default: one transaction, one audit row saying what changed. */
export const updateEnvironmentRoute: RouteHandler<"updateEnvironment"> = async (ctx) => {
  const name = ctx.path.name;
  assertInScope(ctx.principal, name);
  const { name: newName, protected: isProtected, default: makeDefault } = ctx.body;
  if (isProtected === false) {
    // Turning protection off would let one admin change the environment alone: it is itself a change request.
    const env = await getEnvironmentByName(ctx.deps.db, name);
    if (env?.protected) {
      if (newName !== undefined || makeDefault !== undefined) throw new HttpProblem(400, "Unprotect alone", "turning protection off is approved on its own: send only protected: false", "protected");
      await holdIfProtected(ctx, env, { kind: "environment.unprotect", target: `environment:${env.id}`, payload: { name } });
      return;
    }
  }
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await updateEnvironment(trx, { name, newName, protected: isProtected, default: makeDefault });
    if (r.kind === "ok") {
      const changes = [
        r.before.name !== r.environment.name ? `renamed ${r.before.name} to ${r.environment.name}` : "",
        r.before.protected !== r.environment.protected ? (r.environment.protected ? "protected" : "unprotected") : "",
        r.before.is_default !== r.environment.is_default ? "made default" : "",
      ].filter(Boolean);
      audit({ action: "environment.update", target: `environment:${r.environment.id}`, result: "ok", reason: changes.join(", ") || "no change", environment: r.environment.name });
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
