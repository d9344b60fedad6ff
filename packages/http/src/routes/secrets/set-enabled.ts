import { setSecretEnabled } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { loadSecret, secretNotFound } from "./load.js";

/** disableSecret and enableSecret: a disabled secret is refused to every service. */
export const setSecretEnabledRoute =
  <O extends "disableSecret" | "enableSecret">(enabled: boolean): RouteHandler<O> =>
  async (ctx) => {
    const name = ctx.path.name;
    if (!(await setSecretEnabled(ctx.deps.db, { name, enabled, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() }))) throw secretNotFound(name);
    await auditAdmin(ctx, { action: enabled ? "secret.enable" : "secret.disable", target: `secret:${name}`, result: "ok" });
    sendJson(ctx.res, 200, await loadSecret(ctx, name));
  };
