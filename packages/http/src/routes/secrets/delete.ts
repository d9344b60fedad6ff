import { deleteSecret } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { sendNoContent } from "../../problem.js";
import { secretNotFound } from "./load.js";

export const deleteSecretRoute: RouteHandler<"deleteSecret"> = async (ctx) => {
  const name = ctx.path.name;
  if (!(await deleteSecret(ctx.deps.db, { name, actor: callerOf(ctx).actor, at: ctx.deps.clock.now() }))) throw secretNotFound(name);
  await auditAdmin(ctx, { action: "secret.delete", target: `secret:${name}`, result: "ok" });
  sendNoContent(ctx.res);
};
