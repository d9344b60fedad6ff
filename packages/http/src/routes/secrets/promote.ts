import { assertNever } from "@keyward/common";
import { promoteSecretValue, readSecretValue } from "@keyward/db";
import { environmentNamed } from "../../environment.js";
import { holdIfProtected } from "../../change-requests/hold.js";
import type { PromoteResponse } from "@keyward/spec";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { refuseSigningKey, secretNotFound, signingKeyRefused } from "./load.js";
import { assertInScope } from "../../scope.js";

const ACTION = "secret.promote";

/**
 * "Promote staging to production": the value is opened and re-sealed inside the service as a new
 * version in the target; it never crosses the API. One audit row names both environments (the
 * target in `environment`, the source and its version in `reason`), in the change's transaction.
 */
export const promoteSecretRoute: RouteHandler<"promoteSecret"> = async (ctx) => {
  const name = ctx.path.name;
  if (ctx.body.from === ctx.body.to) throw new HttpProblem(400, "Same environment", "from and to name the same environment", "to");
  const from = await environmentNamed(ctx, ctx.body.from, "from");
  const to = await environmentNamed(ctx, ctx.body.to, "to");
  assertInScope(ctx.principal, from.name);
  assertInScope(ctx.principal, to.name);
  const target = `secret:${name}`;
  if (to.protected) {
    // Into a protected environment, a promotion is a set-value change request: the source value is
    // re-sealed into the request inside the service, and applies only once another person approves.
    const source = await readSecretValue(ctx.deps.db, ctx.deps.envelope, { environmentId: from.id, name });
    if (source.kind === "not_found") throw secretNotFound(name, ` in ${from.name}`);
    if (source.kind === "no_value") throw new HttpProblem(409, "No value to promote", `${name} has no value in ${from.name}`, "from");
    if (source.kind === "disabled") throw new HttpProblem(409, "Secret is disabled", `${name} is disabled in ${from.name}`, "from");
    if (source.kind === "signing_key") throw signingKeyRefused(name, ` in ${from.name}`);
    await refuseSigningKey(ctx, to, name);
    if (source.kind !== "ok") throw new HttpProblem(409, "Integrity check failed", `the current value of ${name} in ${from.name} failed its integrity check and cannot be promoted`, "from");
    const payload = { name, promotedFrom: from.name, fromVersion: source.version, ...(ctx.body.expectedVersion !== undefined ? { expectedVersion: ctx.body.expectedVersion } : {}) };
    await holdIfProtected(ctx, to, { kind: "secret.set_value", target, payload, value: source.value });
    return;
  }
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await promoteSecretValue(trx, ctx.deps.envelope, { name, fromEnvironmentId: from.id, toEnvironmentId: to.id, expectedVersion: ctx.body.expectedVersion, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit(
      r.kind === "ok"
        ? { action: ACTION, target, result: "ok", reason: `from ${from.name} version ${r.fromVersion} to ${to.name} version ${r.version}`, environment: to.name }
        : { action: ACTION, target, result: "refused", reason: `from ${from.name} to ${to.name}: ${r.kind}`, environment: to.name },
    );
    return r;
  });
  switch (result.kind) {
    case "ok": {
      const body: PromoteResponse = { name, from: from.name, fromVersion: result.fromVersion, to: to.name, version: result.version };
      return sendJson(ctx.res, 200, body);
    }
    case "not_found":
      throw secretNotFound(name, ` in ${from.name}`);
    case "no_value":
      throw new HttpProblem(409, "No value to promote", `${name} has no value in ${from.name}`, "from");
    case "source_disabled":
      throw new HttpProblem(409, "Secret is disabled", `${name} is disabled in ${from.name}`, "from");
    case "target_disabled":
      throw new HttpProblem(409, "Secret is disabled", `${name} is disabled in ${to.name}; enable it there before promoting a value into it`, "to");
    case "version_conflict":
      throw new HttpProblem(409, "Version conflict", `the current version in ${to.name} is ${result.currentVersion}`, "expectedVersion");
    case "integrity":
      ctx.deps.logger.error({ requestId: ctx.requestId, secretName: name, problem: result.problem }, "promote refused: the source value failed its integrity check");
      throw new HttpProblem(409, "Integrity check failed", `the current value of ${name} in ${from.name} failed its integrity check and cannot be promoted`, "from");
    case "signing_key":
      throw signingKeyRefused(name);
    default:
      return assertNever(result, "promote result");
  }
};
