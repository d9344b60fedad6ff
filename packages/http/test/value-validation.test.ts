import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnvironmentByName, readSecretValue } from "@keyward/db";
import { expectProblem, startApi, type Api } from "./harness.js";

// Issue #17: the server checks every value it is given against the secret's type and the rules the
// app declared, refuses with a 400 that names the rule and never the value, and stores the
// non-secret metadata the type derives.
const tag = () => randomBytes(12).toString("hex");
const WRONG_LLM = `pk-${tag()}${tag()}`;
const GOOD_LLM = `sk-proj-${tag()}${tag()}`;
const WRONG_DSN = `mysql//root:${tag()}@db`;
const DSN_PASSWORD = `pw${tag()}`;
const GOOD_DSN = `postgres://app:${DSN_PASSWORD}@db.internal:5432/orders`;
const OFF_PATTERN = `sk_test_${tag()}`;
const LIVE = `sk_live_${tag()}`;
const HELD_LATER_INVALID = `sk_live_${tag()}`;
const values = [WRONG_LLM, GOOD_LLM, WRONG_DSN, DSN_PASSWORD, OFF_PATTERN, LIVE, HELD_LATER_INVALID];

function makeCert(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-http-cert-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=billing.example.com", "-keyout", "k.pem", "-out", "c.pem"], { cwd: dir, stdio: "pipe" });
  const cert = fs.readFileSync(path.join(dir, "c.pem"), "utf8");
  fs.rmSync(dir, { recursive: true, force: true });
  return cert;
}

describe("value validation on the admin API", () => {
  let api: Api;
  let devId = "";
  beforeAll(async () => {
    api = await startApi();
    devId = (await getEnvironmentByName(api.kdb.db, "development"))!.id;
  });
  afterAll(async () => {
    for (const v of values) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("refuses a value that breaks its type with a 400 naming the rule, writes nothing, and audits the refusal", async () => {
    expect((await api.call("POST", "/api/secrets", { body: { name: "OPENAI_API_KEY", type: "llm-api-key" } })).status).toBe(201);
    const refused = await api.call("PUT", "/api/secrets/OPENAI_API_KEY/value", { body: { value: WRONG_LLM } });
    expectProblem(refused, 400, "value");
    expect(refused.json).toMatchObject({ code: "invalid_value", detail: "type llm-api-key: must start with sk- (OpenAI sk-… or sk-proj-…, Anthropic sk-ant-…)" });
    expect(refused.text).not.toContain(WRONG_LLM);
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: devId, name: "OPENAI_API_KEY" })).toEqual({ kind: "no_value" });
    const audit = (await api.call("GET", "/api/audit?limit=50")).json.items as { action: string; result: string; reason: string | null }[];
    expect(audit.filter((r) => r.action === "secret.value.set" && r.result === "refused")).toEqual([
      expect.objectContaining({ target: "secret:OPENAI_API_KEY", reason: expect.stringMatching(/^invalid_value: type llm-api-key: must start with sk-/) }),
    ]);

    const ok = await api.call("PUT", "/api/secrets/OPENAI_API_KEY/value", { body: { value: GOOD_LLM } });
    expect(ok.status, ok.text).toBe(200);
    expect((await api.call("GET", "/api/secrets/OPENAI_API_KEY")).json).toMatchObject({ currentVersion: 1, metadata: { provider: "openai" } });
  });

  it("refuses a create whose first value is invalid, and keeps no secret from it", async () => {
    const refused = await api.call("POST", "/api/secrets", { body: { name: "ORDERS_DB_URL", type: "database-url", value: WRONG_DSN } });
    expectProblem(refused, 400, "value");
    expect(refused.json.detail).toBe("type database-url: must be a URL scheme://host/… (e.g. postgres://host:5432/db)");
    expectProblem(await api.call("GET", "/api/secrets/ORDERS_DB_URL"), 404, "name");

    const created = await api.call("POST", "/api/secrets", { body: { name: "ORDERS_DB_URL", type: "database-url", value: GOOD_DSN } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.metadata).toEqual({ scheme: "postgres", host: "db.internal", port: 5432, database: "orders" });
    expect(created.text).not.toContain(DSN_PASSWORD);
  });

  it("derives a certificate's subject and expiry (the alias certificate is checked as pem-certificate), per version", async () => {
    await api.call("POST", "/api/secrets", { body: { name: "BILLING_TLS_CERT", type: "certificate" } });
    expect((await api.call("PUT", "/api/secrets/BILLING_TLS_CERT/value", { body: { value: "not a certificate" } })).json.detail).toBe(
      "type certificate: must be one PEM block -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----",
    );
    expect((await api.call("PUT", "/api/secrets/BILLING_TLS_CERT/value", { body: { value: makeCert() } })).status).toBe(200);
    const secret = (await api.call("GET", "/api/secrets/BILLING_TLS_CERT")).json;
    expect(secret.metadata).toMatchObject({ subject: "CN=billing.example.com", issuer: "CN=billing.example.com", keyAlgorithm: "ec" });
    const days = (Date.parse(secret.metadata.notAfter) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
    const versions = (await api.call("GET", "/api/secrets/BILLING_TLS_CERT/versions")).json.items;
    expect(versions).toEqual([expect.objectContaining({ version: 1, metadata: secret.metadata })]);
  });

  it("checks the rules the app declared (pattern, enum, length) after the type, and shows them", async () => {
    await api.call("POST", "/api/secrets", { body: { name: "STRIPE_KEY", type: "stripe-key" } });
    // The rules arrive from the app's schema over gRPC; here they are stored as that path stores them.
    await api.kdb.db.updateTable("secret_definitions").set({ rules_json: JSON.stringify({ pattern: "^sk_live_", maxLength: 60 }) }).where("name", "=", "STRIPE_KEY").execute();
    const refused = await api.call("PUT", "/api/secrets/STRIPE_KEY/value", { body: { value: OFF_PATTERN } });
    expectProblem(refused, 400, "value");
    expect(refused.json.detail).toBe("rule pattern: does not match pattern ^sk_live_");
    // The type is checked first: a value that breaks both names the type's rule.
    expect((await api.call("PUT", "/api/secrets/STRIPE_KEY/value", { body: { value: "sk_live_short" } })).json.detail).toBe("type stripe-key: must have at least 16 letters or digits after the prefix");
    expect((await api.call("PUT", "/api/secrets/STRIPE_KEY/value", { body: { value: `sk_live_${"a".repeat(60)}` } })).json.detail).toBe("rule maxLength: must be at most 60 characters");
    expect((await api.call("PUT", "/api/secrets/STRIPE_KEY/value", { body: { value: LIVE } })).status).toBe(200);
    expect((await api.call("GET", "/api/secrets/STRIPE_KEY")).json).toMatchObject({ rules: { pattern: "^sk_live_", maxLength: 60 }, metadata: { mode: "live", kind: "secret" } });

    await api.call("POST", "/api/secrets", { body: { name: "LOG_LEVEL_TOKEN", type: "generic" } });
    await api.kdb.db.updateTable("secret_definitions").set({ rules_json: JSON.stringify({ enum: ["alpha", "beta"] }) }).where("name", "=", "LOG_LEVEL_TOKEN").execute();
    expect((await api.call("PUT", "/api/secrets/LOG_LEVEL_TOKEN/value", { body: { value: "gamma" } })).json.detail).toBe("rule enum: must be one of alpha, beta");
  });

  it("in a protected environment: checks a value when it is requested and again when it applies", async () => {
    const prodId = (await getEnvironmentByName(api.kdb.db, "production"))!.id;
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("id", "=", prodId).execute();
    await api.call("POST", "/api/secrets?environment=production", { body: { name: "PROD_STRIPE", type: "stripe-key" } });
    await api.kdb.db.updateTable("environments").set({ protected: true }).where("id", "=", prodId).execute();

    const early = await api.call("PUT", "/api/secrets/PROD_STRIPE/value?environment=production", { body: { value: WRONG_LLM } });
    expectProblem(early, 400, "value");
    expect(early.json.detail).toMatch(/^type stripe-key: must start with sk_live_/);
    expect((await api.kdb.db.selectFrom("change_requests").select("id").execute()).length).toBe(0);

    const held = await api.call("PUT", "/api/secrets/PROD_STRIPE/value?environment=production", { body: { value: HELD_LATER_INVALID } });
    expect(held.status, held.text).toBe(202);
    // The app's rules change before anyone approves: the held value no longer passes.
    await api.kdb.db.updateTable("secret_definitions").set({ rules_json: JSON.stringify({ pattern: "^rk_" }) }).where("name", "=", "PROD_STRIPE").execute();
    const other = (await api.call("POST", "/api/admin-keys", { body: { name: "second", role: "admin", owner: "bob" } })).json.token as string;
    const approved = await api.call("POST", `/api/change-requests/${held.json.id}/approve`, { token: other });
    expectProblem(approved, 409, "id");
    expect(approved.json.detail).toContain("the value is no longer valid (rule pattern: does not match pattern ^rk_)");
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: prodId, name: "PROD_STRIPE" })).toEqual({ kind: "no_value" });
  });
});
