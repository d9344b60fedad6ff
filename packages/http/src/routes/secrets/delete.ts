import { holdIfProtected } from "../../change-requests/hold.js";
import { routeEnvironment } from "../../environment.js";
import { deleteSecret } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendNoContent } from "../../problem.js";
import { loadSecret, secretNotFound } from "./load.js";

export const deleteSecretRoute: RouteHandler<"deleteSecret"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  // In a protected environment deleting waits for another person's approval (404 first if there is nothing to delete).
  if (env.protected) await loadSecret(ctx, env, name);
  if (await holdIfProtected(ctx, env, { kind: "secret.delete", target: `secret:${name}`, payload: { name } })) return;
  const deleted = await auditedChange(ctx, async (trx, audit) => {
    const ok = await deleteSecret(trx, { environmentId: env.id, name, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    if (ok) audit({ action: "secret.delete", target: `secret:${name}`, result: "ok", environment: env.name });
    return ok;
  });
  if (!deleted) throw secretNotFound(name);
  sendNoContent(ctx.res);
};
