import { assertNever } from "@keyward/common";
import { createSecret, setSecretValue } from "@keyward/db";
import { auditAdmin } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { loadSecret } from "./load.js";

/** Creates a secret; an optional first value is stored as version 1 and never echoed. */
export const createSecretRoute: RouteHandler<"createSecret"> = async (ctx) => {
  const { name, description, type, rotationDays, value } = ctx.body;
  const actor = callerOf(ctx).actor;
  const at = ctx.deps.clock.now();
  const created = await createSecret(ctx.deps.db, { name, description, type, rotationDays, actor, at });
  switch (created.kind) {
    case "ok":
      break;
    case "exists":
      await auditAdmin(ctx, { action: "secret.create", target: `secret:${name}`, result: "refused", reason: "exists" });
      throw new HttpProblem(409, "Secret exists", `a secret named ${name} already exists`, "name");
    default:
      assertNever(created, "create-secret result");
  }
  await auditAdmin(ctx, { action: "secret.create", target: `secret:${name}`, result: "ok" });
  if (value !== undefined) {
    const set = await setSecretValue(ctx.deps.db, ctx.deps.envelope, { name, value, actor, at, expectedVersion: 0 });
    if (set.kind !== "ok") throw new HttpProblem(409, "Secret changed", `${name} changed while it was being created; set its value again`, "name");
    await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "ok" });
  }
  sendJson(ctx.res, 201, await loadSecret(ctx, name));
};
