import { routeEnvironment } from "../../environment.js";
import { deleteSecret } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendNoContent } from "../../problem.js";
import { secretNotFound } from "./load.js";

export const deleteSecretRoute: RouteHandler<"deleteSecret"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  const deleted = await auditedChange(ctx, async (trx, audit) => {
    const ok = await deleteSecret(trx, { environmentId: env.id, name, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    if (ok) audit({ action: "secret.delete", target: `secret:${name}`, result: "ok", environment: env.name });
    return ok;
  });
  if (!deleted) throw secretNotFound(name);
  sendNoContent(ctx.res);
};
