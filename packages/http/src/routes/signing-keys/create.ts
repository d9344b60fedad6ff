import { assertNever } from "@keyward/common";
import { createSigningKey } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { routeEnvironment } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { loadSigningKey, refuseIfProtected } from "./load.js";

const ACTION = "signing_key.create";

/** Creates a signing key with version 1 of material Keyward generates; the key and its audit row commit together. */
export const createSigningKeyRoute: RouteHandler<"createSigningKey"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const { name, algorithm, description } = ctx.body;
  refuseIfProtected(env, "creating a signing key");
  const target = `signing_key:${name}`;
  const created = await auditedChange(ctx, async (trx, audit) => {
    const r = await createSigningKey(trx, ctx.deps.envelope, { environmentId: env.id, name, algorithm, ...(description !== undefined ? { description } : {}), actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit(r.kind === "ok" ? { action: ACTION, target, result: "ok", reason: algorithm, environment: env.name } : { action: ACTION, target, result: "refused", reason: `exists as ${r.as}`, environment: env.name });
    return r;
  });
  switch (created.kind) {
    case "ok":
      return sendJson(ctx.res, 201, await loadSigningKey(ctx, env, name));
    case "exists":
      throw new HttpProblem(409, created.as === "secret" ? "Secret exists" : "Signing key exists", `${name} is already ${created.as === "secret" ? "a secret" : "a signing key"} in ${env.name}; signing keys and secrets share one name space`, "name");
    default:
      return assertNever(created, "create-signing-key result");
  }
};
