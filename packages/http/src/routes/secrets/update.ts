import { updateSecretMetadata } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { loadSecret, secretNotFound } from "./load.js";

export const updateSecretRoute: RouteHandler<"updateSecret"> = async (ctx) => {
  const name = ctx.path.name;
  const updated = await updateSecretMetadata(ctx.deps.db, { name, ...ctx.body, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
  if (!updated) throw secretNotFound(name);
  await auditAdmin(ctx, { action: "secret.update", target: `secret:${name}`, result: "ok", reason: `changed ${Object.keys(ctx.body).sort().join(", ")}` });
  sendJson(ctx.res, 200, await loadSecret(ctx, name));
};
