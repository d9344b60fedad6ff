import { getSecretMetadata, setCredentialSchedule } from "@keyward/db";
import { auditedChange } from "../../audit.js";
import type { RouteHandler } from "../../context.js";
import { routeEnvironment } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { loadSecret, secretNotFound } from "./load.js";

/** PUT /api/secrets/{name}/verification: scheduled re-verification of the credential, on (every N hours) or off. */
export const setSecretVerificationRoute: RouteHandler<"setSecretVerification"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  const { everyHours } = ctx.body;
  const row = await getSecretMetadata(ctx.deps.db, { environmentId: env.id, name });
  if (!row) throw secretNotFound(name);
  if (everyHours !== null && !ctx.deps.credentialTester?.has(row.type)) {
    throw new HttpProblem(409, "No connection test", `${name} is of type ${row.type}, which has no connection test to schedule`, "everyHours");
  }
  await auditedChange(ctx, async (trx, audit) => {
    await setCredentialSchedule(trx, { secretId: row.id, everyHours, now: ctx.deps.clock.now() });
    audit({ action: "secret.credential.schedule", target: `secret:${name}`, result: "ok", reason: everyHours === null ? "off" : `every ${everyHours} h`, environment: env.name });
  });
  sendJson(ctx.res, 200, await loadSecret(ctx, env, name));
};
