import fs from "node:fs";
import { connectivityState, credentials, status, type ChannelCredentials, type Metadata } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { SecretsServiceClient, TokenStatus, type GetSecretRequest, type GetSecretResponse, type RegisterTokenResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveGrpcOptions, serverChannelOptions } from "../src/index.js";
import { makeTestCerts, type TestCerts } from "./certs.js";
import { bearer, eventually, freshPglite, reasonOf, startTestServer, tableCounts, tokenWithStatus, unary, type TestServer } from "./harness.js";

const getSecret = (client: SecretsServiceClient, name: string, md: Metadata, description = "test") =>
  unary<GetSecretRequest, GetSecretResponse>(client.getSecret.bind(client), { name, description }, md);
const register = (client: SecretsServiceClient, token: string) =>
  unary<{ serviceName: string; serviceVersion: string; environment: string }, RegisterTokenResponse>(client.registerToken.bind(client), { serviceName: "tls-svc", serviceVersion: "1", environment: "" }, bearer(token));

describe("options", () => {
  it("fills defaults and maps them to grpc-js channel options", () => {
    const resolved = resolveGrpcOptions({ host: "127.0.0.1", port: 0, maxMessageBytes: 4096, keepaliveTimeMs: 30_000, maxConnectionIdleMs: 60_000 });
    expect(resolved).toMatchObject({ maxMessageBytes: 4096, rateLimitPerSecond: 1000, rateLimitBurst: 2000, shutdownGraceMs: 10_000, cacheMaxAgeMs: 30_000, cacheMaxEntries: 10_000, changesHeartbeatMs: 5_000, auditFoldReadsMs: 0, auditFoldMaxKeys: 10_000 });
    expect(serverChannelOptions(resolved)).toMatchObject({
      "grpc.max_receive_message_length": 4096,
      "grpc.max_send_message_length": 4096,
      "grpc.keepalive_time_ms": 30_000,
      "grpc.keepalive_timeout_ms": 20_000,
      "grpc.max_connection_idle_ms": 60_000,
      // No channelz service is served, so grpc-js is told not to track calls for one.
      "grpc.enable_channelz": 0,
    });
  });

  it("names the bad option", () => {
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: -1 })).toThrow(/port must be an integer/);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, rateLimitPerSecond: 0 })).toThrow(/rateLimitPerSecond must be a positive number, got 0/);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, maxMessageBytes: Number.NaN })).toThrow(/maxMessageBytes/);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, cacheMaxAgeMs: -1 })).toThrow(/cacheMaxAgeMs must be a positive number, got -1/);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, changesHeartbeatMs: 0 })).toThrow(/changesHeartbeatMs must be a positive number, got 0/);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, cacheMaxEntries: 0 })).toThrow(/cacheMaxEntries must be a positive integer, got 0/);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, cacheMaxEntries: 2.5 })).toThrow(/cacheMaxEntries must be a positive integer, got 2.5/);
    expect(resolveGrpcOptions({ host: "127.0.0.1", port: 0, cacheMaxEntries: 250_000 }).cacheMaxEntries).toBe(250_000);
    for (const bad of [-1, 60_001, 1.5, Number.NaN]) {
      expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, auditFoldReadsMs: bad })).toThrow(new RegExp(`auditFoldReadsMs must be an integer from 0 \\(off\\) to 60000 milliseconds, got ${bad}`));
    }
    expect(resolveGrpcOptions({ host: "127.0.0.1", port: 0, auditFoldReadsMs: 60_000 }).auditFoldReadsMs).toBe(60_000);
    expect(() => resolveGrpcOptions({ host: "127.0.0.1", port: 0, auditFoldMaxKeys: 0 })).toThrow(/auditFoldMaxKeys must be a positive integer, got 0/);
  });
});

describe("limits", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(await freshPglite(), { rateLimitPerSecond: 0.001, rateLimitBurst: 3, maxMessageBytes: 2048, keepaliveTimeMs: 60_000, maxConnectionIdleMs: 120_000, refusalAuditWindowMs: 1500 });
  });
  afterAll(async () => t?.close());

  it("rate-limits per token with RESOURCE_EXHAUSTED rate_limited, and audits it", async () => {
    const a = await tokenWithStatus(t.kdb.db, "limited-a", "approved");
    const b = await tokenWithStatus(t.kdb.db, "limited-b", "approved");
    for (let i = 0; i < 3; i++) expect(reasonOf((await getSecret(t.client, "LIMITED_X", bearer(a.token))).err)).not.toBe("rate_limited");
    const limited = await getSecret(t.client, "LIMITED_X", bearer(a.token));
    expect([limited.err?.code, reasonOf(limited.err)]).toEqual([status.RESOURCE_EXHAUSTED, "rate_limited"]);
    // Another token has its own bucket.
    expect(reasonOf((await getSecret(t.client, "LIMITED_X", bearer(b.token))).err)).not.toBe("rate_limited");
    // GetSecrets and WatchSecrets share the token's bucket.
    const batch = await unary<{ secrets: { name: string; description: string }[] }, unknown>(t.client.getSecrets.bind(t.client), { secrets: [{ name: "LIMITED_X", description: "" }] }, bearer(a.token));
    expect([batch.err?.code, reasonOf(batch.err)]).toEqual([status.RESOURCE_EXHAUSTED, "rate_limited"]);
    const watchErr = await new Promise<{ code: number; metadata: Metadata }>((resolve) => t.client.watchSecrets({ names: [] }, bearer(a.token)).on("error", resolve));
    expect([watchErr.code, reasonOf(watchErr as never)]).toEqual([status.RESOURCE_EXHAUSTED, "rate_limited"]);
    // Refused before the token is looked up, so audited as an unknown caller's: the first row at once,
    // the rest of the window as one counted row.
    await eventually(async () => (await t.kdb.db.selectFrom("audit_log").select("count").where("reason", "=", "rate_limited").execute()).length === 3);
    const audit = await t.kdb.db.selectFrom("audit_log").select(["actor_id", "action", "target", "count"]).where("reason", "=", "rate_limited").orderBy("seq").execute();
    expect(audit).toEqual([
      { actor_id: "(limited)", action: "secret.read", target: "secret:LIMITED_X", count: null },
      { actor_id: "(limited)", action: "secret.watch", target: "watch", count: null },
      { actor_id: "(limited)", action: "secret.read", target: "peer:127.0.0.1", count: 1 },
    ]);
  });

  it("refuses a request larger than maxMessageBytes with RESOURCE_EXHAUSTED too_large, one audit row and nothing else", async () => {
    const { token, id } = await tokenWithStatus(t.kdb.db, "big-svc", "approved");
    const before = await tableCounts(t.kdb.db);
    const big = await getSecret(t.client, "BIG_ONE", bearer(token), "d".repeat(4096));
    expect([big.err?.code, reasonOf(big.err)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    expect(big.err?.details).toContain("2048 bytes");
    expect(big.err?.details).not.toContain(token);
    // Without a token, and with an unregistered one: the same answer, audited under (none) / (unknown).
    const anonymous = await getSecret(t.client, "BIG_ONE", bearer(), "d".repeat(4096));
    expect([anonymous.err?.code, reasonOf(anonymous.err)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    const stranger = generateToken(SERVICE_TOKEN_PREFIX);
    const unknown = await unary<{ serviceName: string; serviceVersion: string; environment: string }, RegisterTokenResponse>(
      t.client.registerToken.bind(t.client),
      { serviceName: "s".repeat(4096), serviceVersion: "1", environment: "" },
      bearer(stranger),
    );
    expect([unknown.err?.code, reasonOf(unknown.err)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(after.audit_log).toBe(before.audit_log! + 3);
    const rows = await t.kdb.db.selectFrom("audit_log").select(["actor_id", "action", "target", "result", "reason"]).where("reason", "=", "too_large").orderBy("seq").execute();
    expect(rows).toEqual([
      { actor_id: `big-svc#${id}`, action: "secret.read", target: "request", result: "refused", reason: "too_large" },
      { actor_id: "(none)", action: "secret.read", target: "request", result: "refused", reason: "too_large" },
      { actor_id: "(unknown)", action: "token.register", target: "request", result: "refused", reason: "too_large" },
    ]);
    expect(JSON.stringify(await t.kdb.db.selectFrom("audit_log").selectAll().execute())).not.toContain(token);
    expect(t.logs()).toContain('"reason":"too_large"');
    expect(t.logs()).not.toContain(token);
    expect(t.logs()).not.toContain(stranger);
    // The server still answers ordinary calls on the same connection.
    expect(reasonOf((await getSecret(t.client, "BIG_ONE", bearer(token))).err)).not.toBe("too_large");
  });
});

describe("limits without a token", () => {
  it("rate-limits calls without a usable token per peer address", async () => {
    const t = await startTestServer(await freshPglite(), { peerRateLimitPerSecond: 0.001, peerRateLimitBurst: 2 });
    try {
      const reasons: unknown[] = [];
      for (let i = 0; i < 3; i++) reasons.push(reasonOf((await getSecret(t.client, "ANY_NAME", bearer())).err));
      reasons.push(reasonOf((await register(t.client, "not-a-token")).err));
      expect(reasons).toEqual(["token_missing", "token_missing", "rate_limited", "rate_limited"]);
    } finally {
      await t.close();
    }
  });
});

describe("connections", () => {
  it("closes a connection idle for maxConnectionIdleMs (the client channel leaves READY)", async () => {
    const t = await startTestServer(await freshPglite(), { maxConnectionIdleMs: 300, keepaliveTimeMs: 1000, keepaliveTimeoutMs: 1000 });
    try {
      expect((await register(t.client, generateToken(SERVICE_TOKEN_PREFIX))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      const channel = t.client.getChannel();
      expect(channel.getConnectivityState(false)).toBe(connectivityState.READY);
      await eventually(() => channel.getConnectivityState(false) !== connectivityState.READY, 400);
      // A new call simply reconnects.
      expect((await register(t.client, generateToken(SERVICE_TOKEN_PREFIX))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    } finally {
      await t.close();
    }
  });
});

describe("TLS and mTLS", () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = makeTestCerts();
  });
  afterAll(() => fs.rmSync(certs.dir, { recursive: true, force: true }));

  const tryRegister = async (address: string, creds: ChannelCredentials) => {
    const client = new SecretsServiceClient(address, creds);
    try {
      return await register(client, generateToken(SERVICE_TOKEN_PREFIX));
    } finally {
      client.close();
    }
  };
  const deadline = () => ({ deadline: Date.now() + 5000 });

  it("serves TLS to a client that trusts the CA, and refuses plaintext", async () => {
    const t = await startTestServer(await freshPglite(), { tls: { cert: certs.serverCert, key: certs.serverKey } });
    try {
      const ok = await tryRegister(t.address, credentials.createSsl(certs.ca));
      expect(ok.res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      const plain = new SecretsServiceClient(t.address, credentials.createInsecure());
      const err = await new Promise<{ code?: number } | null>((resolve) => plain.registerToken({ serviceName: "x", serviceVersion: "1", environment: "" }, bearer("x"), deadline(), (e) => resolve(e)));
      plain.close();
      expect(err?.code).toBe(status.UNAVAILABLE);
    } finally {
      await t.close();
    }
  });

  it("with a client CA requires a client certificate signed by it (mTLS)", async () => {
    const t = await startTestServer(await freshPglite(), { tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
    try {
      const ok = await tryRegister(t.address, credentials.createSsl(certs.ca, certs.clientKey, certs.clientCert));
      expect(ok.res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      for (const creds of [credentials.createSsl(certs.ca), credentials.createSsl(certs.ca, certs.strangerKey, certs.strangerCert)]) {
        const client = new SecretsServiceClient(t.address, creds);
        const err = await new Promise<{ code?: number } | null>((resolve) => client.registerToken({ serviceName: "x", serviceVersion: "1", environment: "" }, bearer("x"), deadline(), (e) => resolve(e)));
        client.close();
        expect(err?.code).toBe(status.UNAVAILABLE);
      }
    } finally {
      await t.close();
    }
  });
});
