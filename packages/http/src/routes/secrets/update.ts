import { routeEnvironment } from "../../environment.js";
import { updateSecretMetadata } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { assertKnownType } from "../../values/index.js";
import { loadSecret, secretNotFound } from "./load.js";

export const updateSecretRoute: RouteHandler<"updateSecret"> = async (ctx) => {
  // The definition is shared by every environment; the answer shows the one asked for (resolved first, so an unknown name changes nothing).
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  assertKnownType(ctx, ctx.body.type);
  const updated = await auditedChange(ctx, async (trx, audit) => {
    const ok = await updateSecretMetadata(trx, { name, ...ctx.body, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    if (ok) audit({ action: "secret.update", target: `secret:${name}`, result: "ok", reason: `changed ${Object.keys(ctx.body).sort().join(", ")}` });
    return ok;
  });
  if (!updated) throw secretNotFound(name);
  sendJson(ctx.res, 200, await loadSecret(ctx, env, name));
};
