import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey, listEnvironments } from "@keyward/db";
import type { CreatedAdminKey } from "@keyward/spec";
import { auditedChange } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { toAdminKey } from "../../mappers.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { assertInScope, assertUnscoped } from "../../scope.js";

/** The new key is in this one response and nowhere else: only its hash is stored, and it is never logged. */
export const createAdminKeyRoute: RouteHandler<"createAdminKey"> = async (ctx) => {
  const { environments, owner } = ctx.body;
  if (environments === undefined) assertUnscoped(ctx.principal, "create a key for every environment");
  else {
    const known = new Set((await listEnvironments(ctx.deps.db)).map((e) => e.name));
    const unknown = environments.find((n) => !known.has(n));
    if (unknown !== undefined) throw new HttpProblem(400, "Unknown environment", `no environment named ${unknown}`, "environments");
    // A scoped caller cannot hand out more than it holds.
    for (const n of environments) assertInScope(ctx.principal, n);
  }
  const token = generateToken(ADMIN_TOKEN_PREFIX);
  const row = await auditedChange(ctx, async (trx, audit) => {
    const created = await createAdminKey(trx, { name: ctx.body.name, role: ctx.body.role, keyHash: hashToken(token), actor: callerOf(ctx).actor, at: ctx.deps.clock.now(), environments, owner });
    audit({ action: "admin_key.create", target: `admin_key:${created.id}`, result: "ok", reason: `role ${created.role}${environments ? ` in ${environments.join(", ")}` : ""}` });
    return created;
  });
  const body: CreatedAdminKey = { key: toAdminKey(row), token };
  sendJson(ctx.res, 201, body);
};
