import { assertNever, secretNameProblem } from "@keyward/common";
import { setSecretValue } from "@keyward/db";
import type { SetValueResponse } from "@keyward/spec";
import { auditAdmin } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { HttpProblem, sendJson } from "../../problem.js";

/** Write-only: the value goes in, a version number comes out. */
export const setSecretValueRoute: RouteHandler = async (ctx) => {
  const name = ctx.params.name!;
  const problem = secretNameProblem(name);
  if (problem) throw new HttpProblem(400, "Invalid secret name", problem, "name");
  const body = await ctx.body();
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpProblem(400, "Invalid body", "the body must be a JSON object with a string field value");
  const { value, expectedVersion, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new HttpProblem(400, "Invalid body", `unknown field ${extra}`, extra);
  if (typeof value !== "string" || value.length === 0 || value.length > 65536) throw new HttpProblem(400, "Invalid body", "value must be a string of 1 to 65536 characters", "value");
  if (expectedVersion !== undefined && (!Number.isInteger(expectedVersion) || (expectedVersion as number) < 0)) {
    throw new HttpProblem(400, "Invalid body", "expectedVersion must be a non-negative integer", "expectedVersion");
  }
  const result = await setSecretValue(ctx.deps.db, ctx.deps.envelope, {
    name,
    value,
    actor: `admin:${ctx.admin.id}`,
    at: ctx.deps.clock.now(),
    ...(expectedVersion === undefined ? {} : { expectedVersion: expectedVersion as number }),
  });
  switch (result.kind) {
    case "ok": {
      await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "ok" });
      const response: SetValueResponse = { name, version: result.version };
      return sendJson(ctx.res, 200, response);
    }
    case "not_found":
      await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "refused", reason: "not_found" });
      throw new HttpProblem(404, "Secret not found", `no secret named ${name}; services create stubs by asking for it`, "name");
    case "version_conflict":
      await auditAdmin(ctx, { action: "secret.value.set", target: `secret:${name}`, result: "refused", reason: "version_conflict" });
      throw new HttpProblem(409, "Version conflict", `the current version is ${result.currentVersion}`, "expectedVersion");
    default:
      return assertNever(result, "set-value result");
  }
};
