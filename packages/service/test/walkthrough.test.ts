import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { adminApi, startCli, tmpDir, type RunningCli } from "./helpers.js";

// Follows the README's "Your first secret" walkthrough step by step, against the real CLI process.
const REPO = path.resolve(import.meta.dirname, "../../..");
const EXAMPLE = path.join(REPO, "examples/identity-service");
const WORKFLOW_CLI = path.join(REPO, "workflows/bin/keyward-workflow.mjs");
const SECRETS_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve("@keyward/secrets")), "cli.js");

/** A copy of the example (the walkthrough edits its schema), resolving packages through the original's node_modules. */
function copyExample(): string {
  const dir = path.join(tmpDir("kw-walk-"), "identity-service");
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !/node_modules|\.keyward/.test(path.relative(EXAMPLE, src)) });
  fs.symlinkSync(path.join(EXAMPLE, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

let svc: RunningCli | undefined;
afterAll(async () => {
  await svc?.stop();
});

describe("README walkthrough", () => {
  it("identity-service gets its own, its dependency's and a workflow-added secret, in development, then in production", async () => {
    const dataDir = tmpDir("kw-walk-data-");
    svc = await startCli(["--data-dir", dataDir]);
    const admin = adminApi(svc.admin, svc.bootstrapToken!);
    const app = copyExample();
    const runApp = (environment?: string) => {
      const r = spawnSync(process.execPath, ["index.mjs"], {
        cwd: app,
        encoding: "utf8",
        env: {
          PATH: process.env.PATH ?? "",
          KEYWARD_URL: svc!.grpc,
          KEYWARD_TOKEN_FILE: path.join(app, environment ? `.keyward/${environment}-token` : ".keyward/service-token"),
          ...(environment ? { KEYWARD_ENVIRONMENT: environment } : {}),
        },
        timeout: 120_000,
      });
      return { code: r.status, out: r.stdout + r.stderr };
    };

    // 1. Combine the app's schema with its dependency's.
    expect(execFileSync(process.execPath, [SECRETS_CLI, "generate"], { cwd: app, encoding: "utf8" })).toContain("2 secrets from 2 schema files");
    const combined = () => Object.keys(JSON.parse(fs.readFileSync(path.join(app, "secrets.schema.combined.json"), "utf8")).properties);
    expect(combined()).toEqual(["JWT_SIGNING_KEY", "SMTP_PASSWORD"]);

    // 2. Declare one more secret with the secrets/add workflow, dry run first.
    const add = ["kickoff", "secrets/add", "--name", "STRIPE_API_KEY", "--description", "Stripe API key for payment processing", "--type", "api-key", "--dir", app];
    const dry = execFileSync(process.execPath, [WORKFLOW_CLI, ...add, "--dry-run"], { encoding: "utf8" });
    expect(dry).toMatch(/update\s+secrets\.schema\.json/);
    expect(combined()).toEqual(["JWT_SIGNING_KEY", "SMTP_PASSWORD"]);
    execFileSync(process.execPath, [WORKFLOW_CLI, ...add], { encoding: "utf8" });
    expect(combined()).toEqual(["JWT_SIGNING_KEY", "SMTP_PASSWORD", "STRIPE_API_KEY"]);
    expect(fs.readFileSync(path.join(app, "secrets.ts"), "utf8")).toContain("STRIPE_API_KEY: string;");

    // 3. The app registers its token, which starts out pending.
    let run = runApp();
    expect(run.code).toBe(3);
    expect(run.out).toContain("token: pending");
    expect(run.out).toMatch(/not yet: JWT_SIGNING_KEY: token_pending/);
    expect((fs.statSync(path.join(app, ".keyward/service-token")).mode & 0o777).toString(8)).toBe("600");

    // 4. The admin approves the token.
    const tokens = await admin("GET", "/api/service-tokens?status=pending");
    expect(tokens.items).toEqual([expect.objectContaining({ serviceName: "identity-service" })]);
    await admin("POST", `/api/service-tokens/${tokens.items[0].id}/approve`);

    // 5. Each missing secret becomes a stub.
    run = runApp();
    expect(run.code).toBe(3);
    for (const name of ["JWT_SIGNING_KEY", "SMTP_PASSWORD", "STRIPE_API_KEY"]) expect(run.out).toContain(`not yet: ${name}: access_pending`);
    const secrets = await admin("GET", "/api/secrets");
    expect(secrets.items.map((s: { name: string; status: string }) => `${s.name}:${s.status}`).sort()).toEqual(["JWT_SIGNING_KEY:stub", "SMTP_PASSWORD:stub", "STRIPE_API_KEY:stub"]);

    // 6. The admin sets their values.
    const values: Record<string, string> = { JWT_SIGNING_KEY: "jwt-" + "a".repeat(28), SMTP_PASSWORD: "smtp-pass-9f3", STRIPE_API_KEY: "sk_test_walkthrough" };
    for (const [name, value] of Object.entries(values)) await admin("PUT", `/api/secrets/${name}/value`, { value });

    // 7. The app waits for access; the admin approves each request.
    run = runApp();
    expect(run.code).toBe(3);
    for (const name of Object.keys(values)) expect(run.out).toContain(`not yet: ${name}: access_pending`);
    const requests = await admin("GET", "/api/access-requests?status=pending");
    expect(requests.items).toHaveLength(3);
    for (const r of requests.items) await admin("POST", `/api/access-requests/${r.id}/approve`);

    // 8. The app gets its secrets, and the mailer its password.
    run = runApp();
    expect(run.code, run.out).toBe(0);
    for (const [name, value] of Object.entries(values)) expect(run.out).toContain(`got ${name} (${value.length} characters)`);
    expect(run.out).toContain(`mailer sending as identity@example.com (SMTP password: ${values.SMTP_PASSWORD!.length} characters)`);

    // No value in the app's or the service's output.
    for (const value of Object.values(values)) {
      expect(run.out).not.toContain(value);
      expect(svc.output()).not.toContain(value);
    }

    // 9. Production: the same app with KEYWARD_ENVIRONMENT=production and its own token. Production is
    //    protected: the first key requests each change (202, a change request), a second person's key approves it.
    run = runApp("production");
    expect(run.out).toContain("token: pending");
    const bobKey = await admin("POST", "/api/admin-keys", { name: "bob", role: "admin", owner: "bob" });
    const bob = adminApi(svc.admin, bobKey.token);
    const requestChange = async (method: string, p: string, body?: unknown): Promise<string> => {
      const res = await fetch(svc!.admin + p, { method, headers: { authorization: `Bearer ${svc!.bootstrapToken}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      expect(res.status, `${method} ${p}: ${text}`).toBe(202);
      const request = JSON.parse(text);
      expect(request).toMatchObject({ id: expect.stringMatching(/^cr_/), status: "pending", environment: "production" });
      return request.id;
    };
    const prodTokens = await admin("GET", "/api/service-tokens?environment=production&status=pending");
    expect(prodTokens.items).toEqual([expect.objectContaining({ serviceName: "identity-service", environment: "production" })]);
    const tokenRequest = await requestChange("POST", `/api/service-tokens/${prodTokens.items[0].id}/approve?environment=production`);
    expect(await bob("POST", `/api/change-requests/${tokenRequest}/approve`)).toMatchObject({ status: "applied" });
    run = runApp("production");
    for (const name of Object.keys(values)) expect(run.out).toContain(`not yet: ${name}: access_pending`);
    const production: Record<string, string> = { JWT_SIGNING_KEY: "jwt-prod-" + "b".repeat(31), SMTP_PASSWORD: "smtp-prod-pass-0123456", STRIPE_API_KEY: "sk_live_walkthrough_prod" };
    for (const [name, value] of Object.entries(production)) await requestChange("PUT", `/api/secrets/${name}/value?environment=production`, { value });
    const prodRequests = await admin("GET", "/api/access-requests?environment=production&status=pending");
    expect(prodRequests.items).toHaveLength(3);
    for (const r of prodRequests.items) await requestChange("POST", `/api/access-requests/${r.id}/approve?environment=production`);
    const pending = await bob("GET", "/api/change-requests?environment=production&status=pending");
    expect(pending.items).toHaveLength(6);
    for (const r of pending.items) expect(await bob("POST", `/api/change-requests/${r.id}/approve`)).toMatchObject({ status: "applied" });
    const matrix = await admin("GET", "/api/secrets/matrix");
    expect(matrix.environments).toEqual(["development", "staging", "production"]);
    expect(matrix.items.map((r: { name: string; cells: { state: string }[] }) => `${r.name}:${r.cells.map((c) => c.state).join("/")}`).sort()).toEqual(Object.keys(values).map((n) => `${n}:set/missing/set`));
    const prodRun = runApp("production");
    expect(prodRun.code, prodRun.out).toBe(0);
    for (const [name, value] of Object.entries(production)) expect(prodRun.out).toContain(`got ${name} (${value.length} characters)`);
    const devRun = runApp();
    expect(devRun.code, devRun.out).toBe(0);
    for (const [name, value] of Object.entries(values)) expect(devRun.out).toContain(`got ${name} (${value.length} characters)`);
    for (const value of [...Object.values(values), ...Object.values(production)]) {
      expect(prodRun.out + devRun.out).not.toContain(value);
      expect(svc.output()).not.toContain(value);
    }
    // The repository's example is untouched.
    expect(JSON.parse(fs.readFileSync(path.join(EXAMPLE, "secrets.schema.json"), "utf8")).properties.STRIPE_API_KEY).toBeUndefined();
  });
});
