import { holdIfProtected } from "../../change-requests/hold.js";
import { routeEnvironment } from "../../environment.js";
import { assertNever } from "@keyward/common";
import { setSecretValue } from "@keyward/db";
import type { SetValueResponse } from "@keyward/spec";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { invalidValue, precheckValue } from "../../values/index.js";
import { refuseSigningKey, secretDisabled, secretNotFound, signingKeyRefused } from "./load.js";

const ACTION = "secret.value.set";

/** Write-only: the value goes in, a version number comes out. The version and its audit row commit together. */
export const setSecretValueRoute: RouteHandler<"setSecretValue"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  const target = `secret:${name}`;
  const { value, expectedVersion } = ctx.body;
  // In a protected environment the value waits, sealed, in a change request for another person's
  // approval: checked now, so the requester hears what is wrong, and again when it applies.
  // Elsewhere the write itself refuses a signing key (one query fewer on the hot path).
  if (env.protected) {
    await refuseSigningKey(ctx, env, name);
    await precheckValue(ctx, env, name, value);
  }
  if (await holdIfProtected(ctx, env, { kind: "secret.set_value", target, payload: { name, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }, value })) return;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await setSecretValue(trx, ctx.deps.envelope, { environmentId: env.id, name, value, expectedVersion, actor: callerOf(ctx).actor, at: ctx.deps.clock.now(), check: ctx.checkValue, hints: ctx.writeHints });
    // A refusal's problem names the rule, never the value, so it may go into the audit row.
    const reason = r.kind === "invalid" ? `invalid_value: ${r.problem}` : r.kind;
    audit({ ...(r.kind === "ok" ? { action: ACTION, target, result: "ok" } : { action: ACTION, target, result: "refused", reason }), environment: env.name });
    return r;
  });
  switch (result.kind) {
    case "ok": {
      const response: SetValueResponse = { name, version: result.version, environment: env.name };
      return sendJson(ctx.res, 200, response);
    }
    case "not_found":
      throw secretNotFound(name, "; create it, or services create stubs by asking for it");
    case "disabled":
      throw secretDisabled(name);
    case "invalid":
      throw invalidValue(result.problem);
    case "version_conflict":
      throw new HttpProblem(409, "Version conflict", `the current version is ${result.currentVersion}`, "expectedVersion");
    case "signing_key":
      throw signingKeyRefused(name, ` in ${env.name}`);
    default:
      return assertNever(result, "set-value result");
  }
};
