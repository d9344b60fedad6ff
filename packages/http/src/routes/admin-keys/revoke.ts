import { assertNever } from "@keyward/common";
import { revokeAdminKey } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { toAdminKey } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";

export const revokeAdminKeyRoute: RouteHandler<"revokeAdminKey"> = async (ctx) => {
  const id = ctx.path.id;
  const target = `admin_key:${id}`;
  const result = await auditedChange(ctx, async (trx, audit) => {
    const r = await revokeAdminKey(trx, { id, at: ctx.deps.clock.now() });
    if (r.kind === "ok") audit({ action: "admin_key.revoke", target, result: "ok" });
    if (r.kind === "last_owner") audit({ action: "admin_key.revoke", target, result: "refused", reason: "last_owner" });
    return r;
  });
  switch (result.kind) {
    case "ok":
      return sendJson(ctx.res, 200, toAdminKey(result.key));
    case "not_found":
      throw new HttpProblem(404, "Admin key not found", `no admin key with id ${id}`, "id");
    case "already_revoked":
      throw new HttpProblem(409, "Admin key already revoked", `admin key ${id} is already revoked`, "id");
    case "last_owner":
      throw new HttpProblem(409, "Last owner key", "this is the last active owner key; create another owner key first", "id");
    default:
      return assertNever(result, "revoke-admin-key result");
  }
};
