import { defaultEnvironmentId } from "@keyward/db/testing";
import { randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { hashToken } from "@keyward/common";
import { decideServiceToken, getServiceTokenByHash } from "@keyward/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, SecretsBatchError, SecretsClientError, type SecretsClient } from "../../src/index.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";
import { errorOf } from "../support/errors.js";

const schema = {
  properties: {
    STRIPE_API_KEY: { description: "Stripe API key", pattern: "^sk_(live|test)_[A-Za-z0-9]+$" },
    DATABASE_URL: { description: "Postgres", format: "uri" },
    REGION: { description: "Region", enum: ["eu", "us"] },
    SENTRY_DSN: { description: "Sentry DSN", "x-keyward": { optional: true } },
    PARTNER_KEY: { description: "Partner key" },
    NEVER_SET: { description: "Nobody set this" },
  },
} as const;
type Schema = typeof schema;

const STRIPE = "sk_live_" + randomBytes(12).toString("hex");
const DB_URL = `postgres://app:${randomBytes(8).toString("hex")}@db.internal/app`;
const SERVICE = "billing";
let server: KeywardTestServer;
let token: string;
let client: SecretsClient<Schema>;

beforeAll(async () => {
  server = await startKeywardServer();
  token = createServiceToken();
  client = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, serviceVersion: "1.2.3", env: {}, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe("registration and approval over real gRPC", () => {
  it("reports a pending token clearly, and waitForApproval times out naming what to do", async () => {
    expect(await client.register()).toBe("pending");
    const pending = await errorOf(client.getSecret("STRIPE_API_KEY"));
    expect(pending).toBeInstanceOf(SecretsClientError);
    expect(pending).toMatchObject({ reason: "token_pending", grpcCode: status.PERMISSION_DENIED, secretName: "STRIPE_API_KEY" });
    expect(pending.message).toMatch(/^cannot fetch secret STRIPE_API_KEY: token_pending: /);
    // A refusal of the whole batch is reported for each name.
    const batch = (await errorOf(client.getSecrets(["STRIPE_API_KEY", "REGION"]))) as SecretsBatchError;
    expect(batch).toBeInstanceOf(SecretsBatchError);
    expect(batch.failures.map((f) => [f.secretName, f.reason])).toEqual([
      ["STRIPE_API_KEY", "token_pending"],
      ["REGION", "token_pending"],
    ]);
    expect(batch.message).toMatch(/^cannot fetch 2 secrets:\n {2}cannot fetch secret STRIPE_API_KEY: token_pending: .+\n {2}cannot fetch secret REGION: token_pending: .+$/);

    const slept: number[] = [];
    const waiting = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, sleep: async (ms) => void slept.push(ms) });
    const timeout = await errorOf(waiting.waitForApproval({ timeoutMs: 30, pollMs: 10 }));
    expect(timeout).toMatchObject({ reason: "token_pending", message: `the service token of ${SERVICE} is still pending approval after 30 ms; an admin must approve it (POST /api/service-tokens/{id}/approve)` });
    expect(slept).toEqual([10, 10, 10]);
    await waiting.close();
  });

  it("waitForApproval resolves once an admin approves", async () => {
    let polls = 0;
    const waiting = createSecretsClient(schema, {
      url: server.address,
      token,
      serviceName: SERVICE,
      env: {},
      // The admin approves while the app waits, after its second poll.
      sleep: async () => {
        if (++polls === 2) await server.approveToken(token);
      },
    });
    await waiting.waitForApproval({ timeoutMs: 60_000, pollMs: 1000 });
    expect(polls).toBe(2);
    expect(await client.register()).toBe("approved");
    await waiting.close();
  });

  it("registerOnStart registers before the first fetch; waitForApproval refuses a revoked token", async () => {
    const other = createServiceToken();
    const starting = createSecretsClient(schema, { url: server.address, token: other, serviceName: "reports", env: {}, registerOnStart: true });
    expect(await errorOf(starting.getSecret("REGION"))).toMatchObject({ reason: "token_pending" });
    expect(await getServiceTokenByHash(server.kdb.db, hashToken(other))).toMatchObject({ service_name: "reports", status: "pending" });
    await server.revokeToken(other);
    expect(await errorOf(starting.waitForApproval({ timeoutMs: 0 }))).toMatchObject({ reason: "token_revoked" });
    await starting.close();
  });

  it("reports an expired token as token_expired (UNAUTHENTICATED), for one name and for a batch", async () => {
    const expiring = createServiceToken();
    const c = createSecretsClient(schema, { url: server.address, token: expiring, serviceName: "expiring", env: {}, retry: { maxAttempts: 1 } });
    try {
      expect(await c.register()).toBe("pending");
      const row = await getServiceTokenByHash(server.kdb.db, hashToken(expiring));
      await decideServiceToken(server.kdb.db, { environmentId: await defaultEnvironmentId(server.kdb.db), id: row!.id, decision: "approve", actor: "admin", at: new Date(), expiresAt: new Date(Date.now() - 1000) });
      const one = await errorOf(c.getSecret("REGION"));
      expect(one).toMatchObject({ reason: "token_expired", grpcCode: status.UNAUTHENTICATED, secretName: "REGION" });
      expect(one.message).not.toContain(expiring);
      const batch = (await errorOf(c.getSecrets(["REGION", "PARTNER_KEY"]))) as SecretsBatchError;
      expect(batch.failures.map((f) => f.reason)).toEqual(["token_expired", "token_expired"]);
    } finally {
      await c.close();
    }
  });
});

describe("fetching values over real gRPC", () => {
  beforeAll(async () => {
    await server.setValue("STRIPE_API_KEY", STRIPE);
    await server.setValue("DATABASE_URL", DB_URL);
    await server.setValue("REGION", "eu");
    await server.setValue("PARTNER_KEY", "pk-123");
    for (const name of ["STRIPE_API_KEY", "DATABASE_URL", "REGION", "SENTRY_DSN"]) await server.setAccess(name, SERVICE, "grant");
  });

  it("getSecret returns the value; an absent optional secret is undefined", async () => {
    expect(await client.getSecret("STRIPE_API_KEY")).toBe(STRIPE);
    expect(await client.getSecret("SENTRY_DSN")).toBeUndefined();
  });

  it("getSecrets fetches the named secrets in ONE GetSecrets call, keyed by name", async () => {
    const fresh = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, cache: false });
    const before = await server.auditedReads();
    expect(await fresh.getSecrets(["DATABASE_URL", "REGION", "STRIPE_API_KEY", "SENTRY_DSN"])).toEqual({ DATABASE_URL: DB_URL, REGION: "eu", STRIPE_API_KEY: STRIPE, SENTRY_DSN: undefined });
    // The three names read share one audit row (`secrets:…`, counted); SENTRY_DSN, granted but
    // without a value, has its own refused row. Both carry the call's request id.
    const rows = await server.kdb.db.selectFrom("audit_log").select(["target", "request_id", "count", "result"]).where("action", "=", "secret.read").orderBy("seq", "desc").limit(2).execute();
    expect(await server.auditedReads()).toBe(before + 2);
    const read = rows.find((r) => r.target.startsWith("secrets:"))!;
    expect(read.target.slice("secrets:".length).split(",").sort()).toEqual(["DATABASE_URL", "REGION", "STRIPE_API_KEY"]);
    expect(read).toMatchObject({ result: "ok", count: 3 });
    expect(rows.find((r) => r.target === "secret:SENTRY_DSN")).toMatchObject({ result: "refused" });
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
    expect(rows[0]!.request_id).toMatch(/^[0-9a-f-]{36}$/);
    await fresh.close();
  });

  it("getSecrets refuses with one SecretsBatchError naming every refused secret and its reason", async () => {
    const error = (await errorOf(client.getSecrets())) as SecretsBatchError;
    expect(error).toBeInstanceOf(SecretsBatchError);
    expect(error.failures.map((f) => [f.secretName, f.reason])).toEqual([
      ["PARTNER_KEY", "access_pending"],
      ["NEVER_SET", "access_pending"],
    ]);
    expect(error.reason).toBe("access_pending");
    expect(error.message).toMatch(/^cannot fetch 2 secrets:\n {2}cannot fetch secret PARTNER_KEY: access_pending: .+\n {2}cannot fetch secret NEVER_SET: access_pending: .+$/);
    // Once the admin grants access and fills the stub, the same call succeeds.
    await server.setAccess("PARTNER_KEY", SERVICE, "grant");
    await server.setValue("NEVER_SET", "filled");
    await server.setAccess("NEVER_SET", SERVICE, "grant");
    expect(await client.getSecrets()).toEqual({ STRIPE_API_KEY: STRIPE, DATABASE_URL: DB_URL, REGION: "eu", SENTRY_DSN: undefined, PARTNER_KEY: "pk-123", NEVER_SET: "filled" });
  });

  it("concurrent reads of one name share one call", async () => {
    const fresh = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {} });
    const before = await server.auditedReads();
    const values = await Promise.all([...Array(5)].map(() => fresh.getSecret("REGION")).concat(fresh.getSecrets(["REGION"]).then((r) => r.REGION)));
    expect(values).toEqual(Array(6).fill("eu"));
    expect(await server.auditedReads()).toBe(before + 1);
    await fresh.close();
  });

  it("splits more than 100 names into calls of at most 100", async () => {
    const names = Array.from({ length: 120 }, (_, i) => `BULK_${String(i).padStart(3, "0")}`);
    const big = { properties: Object.fromEntries(names.map((n) => [n, { description: `bulk ${n}`, "x-keyward": { optional: true } }])) } as const;
    const bulk = createSecretsClient(big, { url: server.address, token, serviceName: SERVICE, env: {} });
    const result = await bulk.getSecrets();
    expect(Object.keys(result)).toEqual(names);
    expect(Object.values(result).every((v) => v === undefined)).toBe(true);
    const rows = await server.kdb.db.selectFrom("audit_log").select(["request_id"]).where("action", "=", "secret.read").where("target", "like", "secret:BULK_%").execute();
    expect(rows).toHaveLength(120);
    const perCall = [...rows.reduce((m, r) => m.set(r.request_id, (m.get(r.request_id) ?? 0) + 1), new Map<string | null, number>()).values()].sort((a, b) => a - b);
    expect(perCall).toEqual([20, 100]);
    await bulk.close();
  });

  it("a value that fails its pattern is refused naming the secret and the rule, never the value, and is not cached", async () => {
    const bad = "pk_live_" + randomBytes(8).toString("hex");
    const fresh = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {} });
    await server.setValue("STRIPE_API_KEY", bad);
    const before = await server.auditedReads();
    for (let i = 0; i < 2; i++) {
      const error = await errorOf(fresh.getSecret("STRIPE_API_KEY"));
      expect(error).toMatchObject({ reason: "invalid_value", secretName: "STRIPE_API_KEY", message: 'the value of STRIPE_API_KEY does not match its "pattern" ^sk_(live|test)_[A-Za-z0-9]+$' });
      expect(`${error.message} ${error.stack}`).not.toContain(bad);
    }
    expect(await server.auditedReads()).toBe(before + 2);
    const batch = (await errorOf(fresh.getSecrets(["STRIPE_API_KEY", "REGION"]))) as SecretsBatchError;
    expect(batch.failures.map((f) => f.reason)).toEqual(["invalid_value"]);
    expect(fresh.redact(bad)).toBe(bad);
    await server.setValue("STRIPE_API_KEY", STRIPE);
    await fresh.close();
  });

  it("a revoked grant stops the cached value from being served", async () => {
    const fresh = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, cache: { ttlMs: 0, maxStaleMs: 60_000 } });
    expect(await fresh.getSecret("REGION")).toBe("eu");
    await server.setAccess("REGION", SERVICE, "revoke");
    expect(await errorOf(fresh.getSecret("REGION"))).toMatchObject({ reason: "access_revoked", grpcCode: status.PERMISSION_DENIED });
    await server.setAccess("REGION", SERVICE, "grant");
    await fresh.close();
  });

  it("redact masks every value the client holds; neither values nor the token reach the service's logs or errors", async () => {
    await client.getSecrets(["STRIPE_API_KEY", "DATABASE_URL"]);
    const line = `charging with ${STRIPE} against ${DB_URL}`;
    expect(client.redact(line)).toBe("charging with [redacted:STRIPE_API_KEY] against [redacted:DATABASE_URL]");
    expect(server.logs()).not.toContain(STRIPE);
    expect(server.logs()).not.toContain(DB_URL);
    expect(server.logs()).not.toContain(token);
  });

  it("an undeclared name is refused without a call; close() ends the client", async () => {
    const fresh = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {} });
    const before = await server.auditedReads();
    expect(await errorOf(fresh.getSecret("NOT_DECLARED" as "REGION"))).toMatchObject({ reason: "not_declared" });
    expect(await server.auditedReads()).toBe(before);
    expect(await fresh.getSecret("REGION")).toBe("eu");
    await fresh.close();
    expect(await errorOf(fresh.getSecret("REGION"))).toMatchObject({ reason: "closed" });
    expect(await errorOf(fresh.getSecrets())).toMatchObject({ reason: "closed" });
    expect(fresh.redact("eu")).toBe("eu");
  });
});
