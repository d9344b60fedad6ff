import { assertNever } from "@keyward/common";
import { rotateSigningKey } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { routeEnvironment } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { loadSigningKey, refuseIfProtected, signingKeyNotFound } from "./load.js";

const ACTION = "signing_key.rotate";

/** A new version of fresh material becomes current, with its audit row in the same transaction. */
export const rotateSigningKeyRoute: RouteHandler<"rotateSigningKey"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  refuseIfProtected(env, "rotating a signing key");
  const target = `signing_key:${name}`;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await rotateSigningKey(trx, ctx.deps.envelope, { environmentId: env.id, name, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit(r.kind === "ok" ? { action: ACTION, target, result: "ok", reason: `version ${r.version}`, environment: env.name } : { action: ACTION, target, result: "refused", reason: r.kind, environment: env.name });
    return r;
  });
  switch (result.kind) {
    case "ok":
      return sendJson(ctx.res, 200, await loadSigningKey(ctx, env, name));
    case "not_found":
      throw signingKeyNotFound(name, env);
    case "disabled":
      throw new HttpProblem(409, "Signing key is disabled", `${name} is disabled; enable it (POST /api/secrets/${name}/enable) before rotating it`, "name");
    default:
      return assertNever(result, "rotate result");
  }
};
