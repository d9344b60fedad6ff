import { assertNever } from "@keyward/common";
import { rollbackSecret } from "@keyward/db";
import type { SetValueResponse } from "@keyward/spec";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { secretNotFound } from "./load.js";
import { refuseIfDisabled } from "./refuse-disabled.js";

/** The old value is re-sealed as a new version; nothing of it is returned. */
export const rollbackSecretRoute: RouteHandler<"rollbackSecret"> = async (ctx) => {
  const name = ctx.path.name;
  const { toVersion, expectedVersion } = ctx.body;
  await refuseIfDisabled(ctx, name, "secret.rollback");
  const result = await rollbackSecret(ctx.deps.db, ctx.deps.envelope, { name, toVersion, expectedVersion, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
  const target = `secret:${name}`;
  switch (result.kind) {
    case "ok": {
      await auditAdmin(ctx, { action: "secret.rollback", target, result: "ok", reason: `to version ${toVersion}` });
      const response: SetValueResponse = { name, version: result.version };
      return sendJson(ctx.res, 200, response);
    }
    case "not_found":
      throw secretNotFound(name);
    case "version_not_found":
      throw new HttpProblem(404, "Version not found", `${name} has no kept version ${toVersion}`, "toVersion");
    case "version_conflict":
      await auditAdmin(ctx, { action: "secret.rollback", target, result: "refused", reason: "version_conflict" });
      throw new HttpProblem(409, "Version conflict", `the current version is ${result.currentVersion}`, "expectedVersion");
    default:
      return assertNever(result, "rollback result");
  }
};
