import { assertNever } from "@keyward/common";
import { setSecretValue } from "@keyward/db";
import type { SetValueResponse } from "@keyward/spec";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { refuseIfDisabled } from "./refuse-disabled.js";

/** Write-only: the value goes in, a version number comes out. */
export const setSecretValueRoute: RouteHandler<"setSecretValue"> = async (ctx) => {
  const name = ctx.path.name;
  const { value, expectedVersion } = ctx.body;
  await refuseIfDisabled(ctx, name, "secret.value.set");
  const result = await setSecretValue(ctx.deps.db, ctx.deps.envelope, { name, value, expectedVersion, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
  switch (result.kind) {
    case "ok": {
      await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "ok" });
      const response: SetValueResponse = { name, version: result.version };
      return sendJson(ctx.res, 200, response);
    }
    case "not_found":
      await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "refused", reason: "not_found" });
      throw new HttpProblem(404, "Secret not found", `no secret named ${name}; create it, or services create stubs by asking for it`, "name");
    case "version_conflict":
      await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "refused", reason: "version_conflict" });
      throw new HttpProblem(409, "Version conflict", `the current version is ${result.currentVersion}`, "expectedVersion");
    default:
      return assertNever(result, "set-value result");
  }
};
