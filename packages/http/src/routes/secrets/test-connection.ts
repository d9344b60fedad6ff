import { getSecretMetadata } from "@keyward/db";
import { adminRow } from "../../audit.js";
import { callerOf, type RouteHandler } from "../../context.js";
import { runCredentialCheck } from "../../credentials/run-check.js";
import { routeEnvironment } from "../../environment.js";
import { HttpProblem, sendJson } from "../../problem.js";
import { testedTooOften } from "../../rate-limits.js";
import { loadSecret, secretDisabled, secretNotFound } from "./load.js";

const untestable = (name: string, type: string) => new HttpProblem(409, "No connection test", `${name} is of type ${type}, which has no connection test`, "name");
const noValue = (name: string) => new HttpProblem(409, "Secret has no value", `${name} has no value to test yet; set one first`, "name");

/**
 * POST /api/secrets/{name}/test-connection: the server tests the stored credential against its
 * target (the value goes nowhere else) and records the outcome, audited. Rate-limited per secret.
 */
export const testSecretConnectionRoute: RouteHandler<"testSecretConnection"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const name = ctx.path.name;
  const row = await getSecretMetadata(ctx.deps.db, { environmentId: env.id, name });
  if (!row) throw secretNotFound(name);
  const tester = ctx.deps.credentialTester;
  if (!tester?.has(row.type)) throw untestable(name, row.type);
  if (row.status === "disabled") throw secretDisabled(name);
  if (row.current_version === 0) throw noValue(name);
  if (!ctx.credentialTests.take(`${env.id}/${name}`)) throw testedTooOften(name);
  const run = await runCredentialCheck(
    { db: ctx.deps.db, envelope: ctx.deps.envelope, auditKey: ctx.deps.auditKey, tester, now: () => ctx.deps.clock.now(), logger: ctx.deps.logger },
    { secretId: row.id, name, type: row.type, environment: env },
    { actor: callerOf(ctx).actor, auditRow: (entry) => adminRow(ctx, entry) },
  );
  switch (run.kind) {
    case "checked":
      break;
    case "no_value":
      throw noValue(name);
    case "disabled":
      throw secretDisabled(name);
    case "unreadable":
      throw new HttpProblem(409, "Secret is unreadable", `${name}'s current value failed its integrity check; set it again`, "name");
  }
  sendJson(ctx.res, 200, await loadSecret(ctx, env, name));
};
