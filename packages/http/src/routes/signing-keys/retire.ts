import { assertNever } from "@keyward/common";
import { retireSigningKeyVersions } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { routeEnvironment } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { loadSigningKey, refuseIfProtected, signingKeyNotFound } from "./load.js";

const ACTION = "signing_key.retire";

/** Versions below `below` stop verifying; one-way, with its audit row in the same transaction. */
export const retireSigningKeyVersionsRoute: RouteHandler<"retireSigningKeyVersions"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  const { below } = ctx.body;
  refuseIfProtected(env, "retiring signing key versions");
  const target = `signing_key:${name}`;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await retireSigningKeyVersions(trx, { environmentId: env.id, name, below });
    audit(r.kind === "ok" ? { action: ACTION, target, result: "ok", reason: `below version ${below}`, environment: env.name } : { action: ACTION, target, result: "refused", reason: r.kind, environment: env.name });
    return r;
  });
  switch (result.kind) {
    case "ok":
      return sendJson(ctx.res, 200, await loadSigningKey(ctx, env, name));
    case "not_found":
      throw signingKeyNotFound(name, env);
    case "invalid":
      throw new HttpProblem(409, "Cannot retire", result.problem, "below");
    default:
      return assertNever(result, "retire result");
  }
};
