import { holdIfProtected } from "../../change-requests/hold.js";
import { routeEnvironment } from "../../environment.js";
import { assertNever } from "@keyward/common";
import { rollbackSecret } from "@keyward/db";
import type { SetValueResponse } from "@keyward/spec";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { refuseSigningKey, secretDisabled, secretNotFound, signingKeyRefused } from "./load.js";

const ACTION = "secret.rollback";

/** The old value is re-sealed as a new version; nothing of it is returned. */
export const rollbackSecretRoute: RouteHandler<"rollbackSecret"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  const target = `secret:${name}`;
  const { toVersion, expectedVersion } = ctx.body;
  await refuseSigningKey(ctx, env, name);
  if (await holdIfProtected(ctx, env, { kind: "secret.rollback", target, payload: { name, toVersion, ...(expectedVersion !== undefined ? { expectedVersion } : {}) } })) return;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await rollbackSecret(trx, ctx.deps.envelope, { environmentId: env.id, name, toVersion, expectedVersion, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit({ ...(r.kind === "ok" ? { action: ACTION, target, result: "ok", reason: `to version ${toVersion}` } : { action: ACTION, target, result: "refused", reason: r.kind }), environment: env.name });
    return r;
  });
  switch (result.kind) {
    case "ok": {
      const response: SetValueResponse = { name, version: result.version, environment: env.name };
      return sendJson(ctx.res, 200, response);
    }
    case "not_found":
      throw secretNotFound(name);
    case "disabled":
      throw secretDisabled(name);
    case "version_not_found":
      throw new HttpProblem(404, "Version not found", `${name} has no kept version ${toVersion}`, "toVersion");
    case "version_conflict":
      throw new HttpProblem(409, "Version conflict", `the current version is ${result.currentVersion}`, "expectedVersion");
    case "integrity":
      // The stored version no longer matches its secret (an edit to the database): say so, never roll back to it.
      ctx.deps.logger.error({ requestId: ctx.requestId, secretName: name, problem: result.problem }, "rollback refused: stored version failed its integrity check");
      throw new HttpProblem(409, "Integrity check failed", `version ${toVersion} of ${name} failed its integrity check and cannot be rolled back to`, "toVersion");
    case "signing_key":
      throw signingKeyRefused(name);
    default:
      return assertNever(result, "rollback result");
  }
};
