import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { createSecretsClient, SecretsClientError } from "@keyward/secrets";
import { baseEnv, startCli, type RunningCli } from "./helpers.js";

// The whole first-secret flow against the real CLI process, over real gRPC and HTTP.
const VALUE = "sk_live_" + randomBytes(16).toString("hex");
const SERVICE_TOKEN = "kws_" + randomBytes(32).toString("base64url");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-e2e-"));
const SECRETS_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve("@keyward/secrets")), "cli.js");

const running: RunningCli[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

describe("first secret, end to end", () => {
  it("registers, approves, stubs, sets, grants and returns the value; nothing leaks", async () => {
    // At debug level every call logs a line (at info, a successful gRPC call is only counted in /metrics).
    const svc = await startCli(["--data-dir", dataDir], { ...baseEnv(), KEYWARD_LOG_LEVEL: "debug" });
    running.push(svc);
    expect(svc.bootstrapToken).toMatch(/^kwa_/);
    const httpBodies: string[] = [];
    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(svc.admin + p, {
        method,
        headers: { authorization: `Bearer ${svc.bootstrapToken}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      httpBodies.push(text);
      expect(res.status, `${method} ${p}: ${text}`).toBeLessThan(300);
      return JSON.parse(text);
    };
    // 1. An app declares STRIPE_API_KEY, and generate runs on it.
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "kw-e2e-app-"));
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "identity-service" }));
    fs.writeFileSync(path.join(app, "secrets.schema.json"), JSON.stringify({ type: "object", properties: { STRIPE_API_KEY: { type: "string", description: "Stripe API key for payment processing" } } }));
    execFileSync(process.execPath, [SECRETS_CLI, "generate", "--cwd", app]);
    expect(fs.readFileSync(path.join(app, "secrets.ts"), "utf8")).toContain("STRIPE_API_KEY: string;");
    const schema = JSON.parse(fs.readFileSync(path.join(app, "secrets.schema.combined.json"), "utf8"));
    const client = createSecretsClient(schema as { properties: { STRIPE_API_KEY: { description: string } } }, {
      url: svc.grpc,
      token: SERVICE_TOKEN,
      serviceName: "identity-service",
      serviceVersion: "1.0.0",
    });
    const getSecret = async () => {
      try {
        return { value: await client.getSecret("STRIPE_API_KEY") };
      } catch (e) {
        expect(e).toBeInstanceOf(SecretsClientError);
        expect((e as Error).message).not.toContain(SERVICE_TOKEN);
        return { reason: (e as SecretsClientError).reason };
      }
    };
    const auditCount = async () => (svc.output().match(/"msg":"(grpc call|admin action)"/g) ?? []).length;

    // 2. The client registers its token, which starts out pending.
    expect(await client.register()).toBe("pending");
    expect(await auditCount()).toBe(1);

    // 3. GetSecret is refused until an admin approves the token.
    expect(await getSecret()).toEqual({ reason: "token_pending" });
    const tokens = await admin("GET", "/api/service-tokens?status=pending");
    expect(tokens.items).toHaveLength(1);
    await admin("POST", `/api/service-tokens/${tokens.items[0].id}/approve`);

    // 4. GetSecret on the missing secret creates a stub and answers as for an ungranted one.
    expect(await getSecret()).toEqual({ reason: "access_pending" });
    const secrets = await admin("GET", "/api/secrets");
    expect(secrets.items).toEqual([expect.objectContaining({ name: "STRIPE_API_KEY", status: "stub", description: "Stripe API key for payment processing" })]);

    // 5. An admin sets the value.
    expect(await admin("PUT", "/api/secrets/STRIPE_API_KEY/value", { value: VALUE })).toEqual({ name: "STRIPE_API_KEY", version: 1, environment: "development" });

    // 6. PERMISSION_DENIED, and a pending access request exists.
    expect(await getSecret()).toEqual({ reason: "access_pending" });
    const requests = await admin("GET", "/api/access-requests?status=pending");
    expect(requests.items).toEqual([expect.objectContaining({ secretName: "STRIPE_API_KEY", serviceName: "identity-service" })]);

    // 7. An admin approves the request. 8. GetSecret returns the value.
    await admin("POST", `/api/access-requests/${requests.items[0].id}/approve`);
    expect(await getSecret()).toEqual({ value: VALUE });
    client.close();

    // Every step wrote an audit row: 5 gRPC calls + 3 admin changes, each with a log line.
    expect(await auditCount()).toBe(8);
    // /metrics counts the gRPC calls by method and code, beside the admin API's requests.
    const metrics = await (await fetch(`${svc.admin}/metrics`)).text();
    expect(metrics).toMatch(/^keyward_grpc_calls_total\{rpc="RegisterToken",code="OK"\} 1$/m);
    expect(metrics).toMatch(/^keyward_grpc_calls_total\{rpc="GetSecret",code="OK"\} 1$/m);
    expect(metrics).toMatch(/^keyward_grpc_call_duration_seconds_count\{rpc="GetSecret",code="OK"\} 1$/m);
    // Audit folding is opt-in: off here, so no read was folded.
    expect(metrics).toMatch(/^keyward_audit_folded_reads_total 0$/m);
    await svc.stop();

    // No leak: not in any HTTP body, not in the service's output.
    expect(httpBodies.join("\n")).not.toContain(VALUE);
    expect(svc.output()).not.toContain(VALUE);
    expect(svc.output()).not.toContain(SERVICE_TOKEN);

    // The database holds only ciphertext: neither the raw files nor any table contain the value or token.
    const files = fs.readdirSync(dataDir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dataDir, f)).isFile());
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dataDir, f));
      expect(bytes.includes(Buffer.from(VALUE)), f).toBe(false);
      expect(bytes.includes(Buffer.from(SERVICE_TOKEN)), f).toBe(false);
    }
    const pg = await PGlite.create(path.join(dataDir, "pglite"));
    try {
      const audit = await pg.query<{ action: string; result: string }>("select action, result from audit_log order by seq");
      expect(audit.rows.map((r) => `${r.action}:${r.result}`)).toEqual([
        "keys.init:ok",
        // The owner key is created last in a start, once both listeners are up.
        "audit.signing_key:ok",
        "admin.bootstrap:ok",
        "token.register:created",
        "secret.read:refused",
        "token.approve:ok",
        "secret.stub:created",
        "access.request:created",
        "secret.read:refused",
        "secret.value.set:ok",
        "secret.read:refused",
        "access.grant:ok",
        "secret.read:ok",
      ]);
      for (const table of ["secrets", "secret_versions", "service_tokens", "access_requests", "audit_log", "admin_api_keys"]) {
        const dump = JSON.stringify((await pg.query(`select * from ${table}`)).rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v));
        expect(dump, table).not.toContain(VALUE);
        expect(dump, table).not.toContain(SERVICE_TOKEN);
        expect(dump, table).not.toContain(svc.bootstrapToken!);
      }
    } finally {
      await pg.close();
    }
  });

  it("prints the bootstrap token on first start only", async () => {
    const again = await startCli(["--data-dir", dataDir]);
    running.push(again);
    expect(again.bootstrapToken).toBeUndefined();
    expect(again.output()).not.toContain("Bootstrap admin token");
    await again.stop();
  });
});
