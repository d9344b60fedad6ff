import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey } from "@keyward/db";
import type { CreatedAdminKey } from "@keyward/spec";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { toAdminKey } from "../../mappers.js";
import { sendJson } from "../../problem.js";

/** The new key is in this one response and nowhere else: only its hash is stored, and it is never logged. */
export const createAdminKeyRoute: RouteHandler<"createAdminKey"> = async (ctx) => {
  const token = generateToken(ADMIN_TOKEN_PREFIX);
  const row = await auditedChange(ctx, async (trx, audit) => {
    const created = await createAdminKey(trx, { name: ctx.body.name, role: ctx.body.role, keyHash: hashToken(token), actor: callerOf(ctx).actor, at: ctx.deps.clock.now() });
    audit({ action: "admin_key.create", target: `admin_key:${created.id}`, result: "ok", reason: `role ${created.role}` });
    return created;
  });
  const body: CreatedAdminKey = { key: toAdminKey(row), token };
  sendJson(ctx.res, 201, body);
};
