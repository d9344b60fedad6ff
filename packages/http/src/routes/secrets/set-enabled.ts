import { holdIfProtected } from "../../change-requests/hold.js";
import { routeEnvironment } from "../../environment.js";
import { setSecretEnabled } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { loadSecret, secretNotFound } from "./load.js";

/** disableSecret and enableSecret: a disabled secret is refused to every service. */
export const setSecretEnabledRoute =
  <O extends "disableSecret" | "enableSecret">(enabled: boolean): RouteHandler<O> =>
  async (ctx) => {
    const env = await routeEnvironment(ctx);
    const name = ctx.path.name;
    // Disabling in a protected environment waits for approval; enabling (undoing a disable) does not change a value.
    if (!enabled && (await holdIfProtected(ctx, env, { kind: "secret.disable", target: `secret:${name}`, payload: { name } }))) return;
    const changed = await auditedChange(ctx, async (trx, audit) => {
      const ok = await setSecretEnabled(trx, { environmentId: env.id, name, enabled, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
      if (ok) audit({ action: enabled ? "secret.enable" : "secret.disable", target: `secret:${name}`, result: "ok", environment: env.name });
      return ok;
    });
    if (!changed) throw secretNotFound(name);
    sendJson(ctx.res, 200, await loadSecret(ctx, env, name));
  };
