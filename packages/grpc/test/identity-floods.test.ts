import fs from "node:fs";
import { credentials, status, type ChannelCredentials } from "@grpc/grpc-js";
import { generateToken, hashToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { decideServiceToken, getServiceTokenByHash, listServiceTokens } from "@keyward/db";
import { SecretsServiceClient, TokenStatus, type GetSecretRequest, type GetSecretResponse, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestCerts, type TestCerts } from "./certs.js";
import { bearer, eventually, freshPglite, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, unary , environmentId } from "./harness.js";

// Issue #12 §3 (a service is who it claims to be) and §4 (unauthenticated callers cannot flood).

const register = (client: SecretsServiceClient, token: string, serviceName: string) =>
  unary<RegisterTokenRequest, RegisterTokenResponse>(client.registerToken.bind(client), { serviceName, serviceVersion: "1.0.0", environment: "" }, bearer(token));
const getSecret = (client: SecretsServiceClient, name: string, token: string) => unary<GetSecretRequest, GetSecretResponse>(client.getSecret.bind(client), { name, description: "test" }, bearer(token));

describe("who registered a token", () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = makeTestCerts();
  });
  afterAll(() => fs.rmSync(certs.dir, { recursive: true, force: true }));

  const clientWith = (address: string, creds: ChannelCredentials) => new SecretsServiceClient(address, creds);

  it("records the peer address, and under mutual TLS the client certificate's identity, for the admin", async () => {
    const t = await startTestServer(await freshPglite(), { tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
    const billing = certs.client("billing", "DNS:billing,URI:spiffe://keyward/service/billing");
    const client = clientWith(t.address, credentials.createSsl(certs.ca, billing.key, billing.cert));
    try {
      const token = generateToken(SERVICE_TOKEN_PREFIX);
      expect((await register(client, token, "billing")).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      const row = await getServiceTokenByHash(t.kdb.db, hashToken(token));
      expect(row).toMatchObject({
        peer_address: "127.0.0.1",
        cert_subject: "CN=billing",
        cert_sans: "DNS:billing, URI:spiffe://keyward/service/billing",
        cert_spiffe_id: "spiffe://keyward/service/billing",
        cert_fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      });
    } finally {
      client.close();
      await t.close();
    }
  });

  it("flags a pending token whose service name already has approved tokens", async () => {
    const t = await startTestServer(await freshPglite());
    try {
      const first = await tokenWithStatus(t.kdb.db, "ledger", "approved");
      await tokenWithStatus(t.kdb.db, "ledger", "approved");
      const impostor = generateToken(SERVICE_TOKEN_PREFIX);
      await register(t.client, impostor, "ledger");
      const alone = generateToken(SERVICE_TOKEN_PREFIX);
      await register(t.client, alone, "brand-new");
      const pending = (await listServiceTokens(t.kdb.db, { environmentId: await environmentId(t.kdb.db), status: "pending" })).items;
      expect(pending.map((p) => [p.service_name, p.same_name_approved, p.peer_address]).sort()).toEqual([
        ["brand-new", 0, "127.0.0.1"],
        ["ledger", 2, "127.0.0.1"],
      ]);
      await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: first.id, decision: "revoke", actor: "admin", at: new Date() });
      expect((await listServiceTokens(t.kdb.db, { environmentId: await environmentId(t.kdb.db), status: "pending", serviceName: "ledger" })).items[0]!.same_name_approved).toBe(1);
    } finally {
      await t.close();
    }
  });

  it("under strict identity binds the service name to the client certificate, at registration and at every call", async () => {
    const t = await startTestServer(await freshPglite(), { tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca }, strictIdentity: true });
    const billing = certs.client("billing-strict", "DNS:billing");
    const k8s = certs.client("payments-k8s", "URI:spiffe://cluster.local/ns/prod/sa/payments");
    const asBilling = clientWith(t.address, credentials.createSsl(certs.ca, billing.key, billing.cert));
    const asPayments = clientWith(t.address, credentials.createSsl(certs.ca, k8s.key, k8s.cert));
    try {
      const token = generateToken(SERVICE_TOKEN_PREFIX);
      // A name the certificate does not carry is refused, and nothing is recorded.
      const before = await tableCounts(t.kdb.db);
      const claimed = await register(asBilling, token, "payments");
      expect([claimed.err?.code, reasonOf(claimed.err)]).toEqual([status.PERMISSION_DENIED, "identity_mismatch"]);
      expect(claimed.err?.details).toBe("strict identity: the client certificate (DNS:billing) does not name service payments");
      expect((await tableCounts(t.kdb.db)).service_tokens).toBe(before.service_tokens);
      // Its own name (a DNS SAN), or a SPIFFE ID's path or last segment, is accepted.
      expect((await register(asBilling, token, "billing")).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      expect((await register(asPayments, generateToken(SERVICE_TOKEN_PREFIX), "payments")).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      expect((await register(asPayments, generateToken(SERVICE_TOKEN_PREFIX), "ns/prod/sa/payments")).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);

      const row = (await getServiceTokenByHash(t.kdb.db, hashToken(token)))!;
      await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: row.id, decision: "approve", actor: "admin", at: new Date() });
      await secretFor(t.kdb.db, t.envelope, { name: "BILLING_KEY", serviceName: "billing", value: "billing-value", access: "granted" });
      expect((await getSecret(asBilling, "BILLING_KEY", token)).res?.value).toBe("billing-value");
      // The same (stolen) token from another service's certificate is refused at the call.
      const stolen = await getSecret(asPayments, "BILLING_KEY", token);
      expect([stolen.err?.code, reasonOf(stolen.err)]).toEqual([status.PERMISSION_DENIED, "identity_mismatch"]);
      expect(stolen.err?.details).toContain("does not name service billing");
      // …including once the token is held in the server's cache.
      expect((await getSecret(asBilling, "BILLING_KEY", token)).res?.value).toBe("billing-value");
      expect(reasonOf((await getSecret(asPayments, "BILLING_KEY", token)).err)).toBe("identity_mismatch");
    } finally {
      asBilling.close();
      asPayments.close();
      await t.close();
    }
  });

  it("strict identity needs mutual TLS", async () => {
    await expect(startTestServer(await freshPglite(), { strictIdentity: true })).rejects.toThrow(/strictIdentity needs mutual TLS/);
  });
});

describe("callers that are not known cannot flood", () => {
  it("limits registrations per address before any token is known, and caps pending tokens per service name and per address", async () => {
    const t = await startTestServer(await freshPglite(), { peerRateLimitPerSecond: 0.001, peerRateLimitBurst: 12, maxPendingTokensPerService: 3, maxPendingTokensPerPeer: 5 });
    try {
      const outcome = async (serviceName: string) => {
        const r = await register(t.client, generateToken(SERVICE_TOKEN_PREFIX), serviceName);
        return r.err ? `${reasonOf(r.err)}` : "pending";
      };
      const same = [];
      for (let i = 0; i < 5; i++) same.push(await outcome("crowded"));
      expect(same).toEqual(["pending", "pending", "pending", "pending_limit", "pending_limit"]);
      const spread = [];
      for (const name of ["a-svc", "b-svc", "c-svc"]) spread.push(await outcome(name));
      // The address already has 3 pending (crowded): 2 more fit under its cap of 5.
      expect(spread).toEqual(["pending", "pending", "pending_limit"]);
      const flooded = [];
      for (let i = 0; i < 6; i++) flooded.push(await outcome(`flood-${i}`));
      // 8 calls so far of a burst of 12; then every call is refused before any work.
      expect(flooded).toEqual(["pending_limit", "pending_limit", "pending_limit", "pending_limit", "rate_limited", "rate_limited"]);
      expect((await tableCounts(t.kdb.db)).service_tokens).toBe(5);
      const refused = await register(t.client, generateToken(SERVICE_TOKEN_PREFIX), "late");
      expect([refused.err?.code, reasonOf(refused.err)]).toEqual([status.RESOURCE_EXHAUSTED, "rate_limited"]);
    } finally {
      await t.close();
    }
  });

  it("audits refusals of unknown tokens once per address and window, with a count, and stops looking them up", async () => {
    const t = await startTestServer(await freshPglite(), { peerRateLimitPerSecond: 0.001, peerRateLimitBurst: 20, refusalAuditWindowMs: 400 });
    try {
      const reasons: string[] = [];
      for (let i = 0; i < 60; i++) reasons.push(String(reasonOf((await getSecret(t.client, "ANY_SECRET", generateToken(SERVICE_TOKEN_PREFIX))).err)));
      expect(reasons.slice(0, 20).every((r) => r === "token_unknown")).toBe(true);
      expect(reasons.slice(20).every((r) => r === "rate_limited")).toBe(true);
      // Per window, the first refusal of each kind is written at once and the rest as one counted row;
      // every refused call is accounted for, in a handful of rows.
      const tally = async () => {
        const rows = await t.kdb.db.selectFrom("audit_log").select(["actor_id", "target", "reason", "count"]).orderBy("seq").execute();
        const total = (reason: string) => rows.filter((r) => r.reason === reason).reduce((n, r) => n + (r.count ?? 1), 0);
        return { rows, unknown: total("token_unknown"), limited: total("rate_limited") };
      };
      await eventually(async () => {
        const { unknown, limited } = await tally();
        return unknown === 20 && limited === 40;
      });
      const { rows } = await tally();
      expect(rows.length).toBeLessThanOrEqual(12);
      expect(rows.filter((r) => r.count !== null).every((r) => r.target === "peer:127.0.0.1" && r.actor_id.startsWith("("))).toBe(true);
      expect(rows.some((r) => r.count !== null && r.count > 1)).toBe(true);
      // A further window with nothing refused writes nothing.
      await new Promise((r) => setTimeout(r, 900));
      expect((await tableCounts(t.kdb.db)).audit_log).toBe(rows.length);
    } finally {
      await t.close();
    }
  });
});
