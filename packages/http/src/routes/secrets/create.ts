import { routeEnvironment } from "../../environment.js";
import { assertNever } from "@keyward/common";
import { consoleLinks, createSecret, recordEvent, setSecretValue } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertKnownType, invalidValue } from "../../values/index.js";
import { loadSecret } from "./load.js";

/**
 * Creates a secret; an optional first value is stored as version 1 and never echoed. The secret,
 * its first value and their audit rows commit together.
 */
export const createSecretRoute: RouteHandler<"createSecret"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const { name, description, type, rotationDays, reminderDays, value } = ctx.body;
  assertKnownType(ctx, type);
  const actor = callerOf(ctx).actor;
  const at = ctx.deps.clock.now();
  const target = `secret:${name}`;
  // A first value would take effect without approval: in a protected environment create the secret
  // without one and set it (a change request), so no single admin writes a value there.
  if (value !== undefined && env.protected) {
    throw new HttpProblem(409, "Environment is protected", `${env.name} is protected: create ${name} without a value, then set it (that is a change request another person approves)`, "value");
  }
  const created = await auditedChange(ctx, async (trx, audit) => {
    const r = await createSecret(trx, { environmentId: env.id, name, description, type, rotationDays, reminderDays, actor, at });
    if (r.kind !== "ok") {
      audit({ action: "secret.create", target, result: "refused", reason: r.kind, environment: env.name });
      return r;
    }
    audit({ action: "secret.create", target, result: "ok", environment: env.name });
    if (value !== undefined) {
      const set = await setSecretValue(trx, ctx.deps.envelope, { environmentId: env.id, name, value, actor, at, expectedVersion: 0, check: ctx.checkValue });
      // A refused first value refuses the whole create: the 400 rolls the new secret back with it.
      if (set.kind === "invalid") throw invalidValue(set.problem);
      // The row was created in this transaction and is locked by it: nothing else can have changed it.
      if (set.kind !== "ok") throw new Error(`setting the first value of a new secret failed: ${set.kind}`);
      audit({ action: "secret.value.set", target, result: "ok", environment: env.name });
    } else {
      // A secret without a value waits for one: admins hear about it (issue #14's outbox, same transaction).
      await recordEvent(trx, { type: "secret.stub_created", environment: env.name, subject: name, link: consoleLinks.missing(env.name), data: { secretName: name, requestedBy: actor } });
    }
    return r;
  });
  switch (created.kind) {
    case "ok":
      return sendJson(ctx.res, 201, await loadSecret(ctx, env, name));
    case "exists":
      throw new HttpProblem(409, "Secret exists", `a secret named ${name} already exists`, "name");
    default:
      return assertNever(created, "create-secret result");
  }
};
