import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startSecretsService } from "../src/index.js";
import { baseEnv, CLI, freshPostgresUrl, tmpDir } from "./helpers.js";

// Issue #13: examples/environments reads development's value by default and production's with
// KEYWARD_ENVIRONMENT=production; each environment's token, value and grant are set with the CLI
// (--environment) while the service runs on the real PostgreSQL. Production is protected, so the CLI
// acts there only with --break-glass --reason (the admin API's change requests are walkthrough.test.ts's).
const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/environments");
const SERVICE = "environments-example";
const fingerprint = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 12);

describe("examples/environments: one app, two environments", () => {
  it("reads the development value by default and the production value with KEYWARD_ENVIRONMENT=production", async () => {
    const dataDir = tmpDir("kw-envex-");
    const tokens = tmpDir("kw-envex-tokens-");
    const env = { DATABASE_URL: await freshPostgresUrl(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const service = await startSecretsService({ env, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    const cli = (args: string[], input?: string) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...baseEnv(), ...env }, input, encoding: "utf8", timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    // Asynchronously: the service runs in this process and must answer the app's calls meanwhile.
    const app = (environment?: string) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const appEnv = { ...baseEnv(), KEYWARD_URL: service.grpcAddress, KEYWARD_TOKEN_FILE: path.join(tokens, `${environment ?? "default"}-token`), ...(environment ? { KEYWARD_ENVIRONMENT: environment } : {}) };
        execFile(process.execPath, ["index.mjs"], { cwd: EXAMPLE, encoding: "utf8", env: appEnv, timeout: 120_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr });
        });
      });
    /** Runs the app until its output matches (the running service learns of CLI changes by notification). */
    const appUntil = async (environment: string | undefined, pattern: RegExp) => {
      let run = await app(environment);
      for (let i = 0; i < 50 && !pattern.test(run.out); i++) {
        await new Promise((r) => setTimeout(r, 200));
        run = await app(environment);
      }
      expect(run.out).toMatch(pattern);
      return run;
    };
    const values = { development: "pk_test_" + randomBytes(12).toString("hex"), production: "pk_live_" + randomBytes(12).toString("hex") };
    try {
      // Development, by default: register, approve, ask (a stub), set, grant, read.
      expect((await app()).out).toContain("environment: development\ntoken: pending");
      expect((await app("production")).out).toContain("environment: production\ntoken: pending");
      const listed = cli(["tokens", "list", "--json"]);
      expect(JSON.parse(listed.out).map((t: { serviceName: string; environment: string }) => `${t.serviceName}@${t.environment}`).sort()).toEqual([`${SERVICE}@development`, `${SERVICE}@production`]);
      expect(cli(["tokens", "approve", "--service", SERVICE]).out).toContain("environment development");
      expect(cli(["tokens", "approve", "--service", SERVICE, "--environment", "production"]).code).toBe(2);
      expect(cli(["tokens", "approve", "--service", SERVICE, "--environment", "production", "--break-glass", "--reason", "example"]).out).toContain("environment production");
      await appUntil(undefined, /not yet: access_pending/);
      await appUntil("production", /not yet: access_pending/);

      const secrets = cli(["secrets", "list", "--json"]);
      expect(JSON.parse(secrets.out)).toEqual([
        expect.objectContaining({ name: "PAYMENTS_API_KEY", environment: "development", status: "stub", version: 0 }),
        expect.objectContaining({ name: "PAYMENTS_API_KEY", environment: "production", status: "stub", version: 0 }),
      ]);
      const setDev = cli(["secrets", "set", "PAYMENTS_API_KEY"], values.development + "\n");
      expect(setDev.code, setDev.err).toBe(0);
      expect(setDev.out).toBe("set PAYMENTS_API_KEY in environment development: version 1\n");
      const setProd = cli(["secrets", "set", "PAYMENTS_API_KEY", "--environment", "production", "--break-glass", "--reason", "example"], values.production);
      expect(setProd.out).toBe("set PAYMENTS_API_KEY in environment production: version 1\n");

      const pending = cli(["access", "list", "--status", "pending"]);
      expect(pending.out.split("\n")[0]).toMatch(/^ID\s+SERVICE\s+SECRET\s+ENVIRONMENT\s+STATUS\s+REQUESTED$/);
      expect(pending.out).toMatch(/environments-example\s+PAYMENTS_API_KEY\s+development\s+pending/);
      expect(pending.out).toMatch(/environments-example\s+PAYMENTS_API_KEY\s+production\s+pending/);
      expect(cli(["access", "approve", "--service", SERVICE, "--secret", "PAYMENTS_API_KEY"]).out).toBe(`granted ${SERVICE} access to PAYMENTS_API_KEY in environment development\n`);
      const grantProd = cli(["access", "approve", "--service", SERVICE, "--secret", "PAYMENTS_API_KEY", "--environment", "production", "--break-glass", "--reason", "example"]);
      expect(grantProd.out).toBe(`granted ${SERVICE} access to PAYMENTS_API_KEY in environment production (break-glass)\n`);

      // The same app, the same code: two values.
      const dev = await appUntil(undefined, /got PAYMENTS_API_KEY/);
      const prod = await appUntil("production", /got PAYMENTS_API_KEY/);
      expect(dev.code).toBe(0);
      expect(dev.out).toContain(`environment: development\ntoken: approved\ngot PAYMENTS_API_KEY (${values.development.length} characters, sha256 ${fingerprint(values.development)})`);
      expect(prod.out).toContain(`environment: production\ntoken: approved\ngot PAYMENTS_API_KEY (${values.production.length} characters, sha256 ${fingerprint(values.production)})`);

      // An unknown environment is a usage error naming it; nothing prints a value.
      const unknown = cli(["secrets", "set", "PAYMENTS_API_KEY", "--environment", "prod"], "x");
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain('--environment "prod": no such environment (environments: development, staging, production)');
      expect(cli(["access", "list", "--environment", "qa"]).code).toBe(2);
      const all = [dev.out, prod.out, setDev.out, setDev.err, setProd.out, cli(["secrets", "list"]).out, unknown.err].join("\n");
      for (const value of Object.values(values)) expect(all).not.toContain(value);
      expect(cli(["secrets", "list"]).out).toMatch(/^NAME\s+ENVIRONMENT\s+STATUS\s+VERSION\s+TYPE\s+DESCRIPTION\nPAYMENTS_API_KEY\s+development\s+active\s+1\s+\S+\s+Payment provider\S* [^\n]*\nPAYMENTS_API_KEY\s+production\s+active\s+1\s/);

      // Each CLI change wrote its audit row, naming the environment.
      const db = new pg.Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      try {
        const audit = await db.query("select action, target, result, reason, environment from audit_log where actor_type = 'cli' order by seq");
        expect(audit.rows.map((r) => `${r.action} ${r.target} ${r.result} ${r.environment} ${r.reason}`)).toEqual([
          "token.approve " + audit.rows[0].target + " ok development null",
          "token.approve " + audit.rows[1].target + " ok production break-glass: example",
          "secret.value.set secret:PAYMENTS_API_KEY ok development null",
          "secret.value.set secret:PAYMENTS_API_KEY ok production break-glass: example",
          `access.grant access:${SERVICE}/PAYMENTS_API_KEY ok development null`,
          `access.grant access:${SERVICE}/PAYMENTS_API_KEY ok production break-glass: example`,
        ]);
      } finally {
        await db.end();
      }
    } finally {
      await service.close();
    }
  });
});
