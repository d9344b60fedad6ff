import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, hashToken, kekFromKey } from "@keyward/common";
import {
  appendAudit,
  createSecretStub,
  decideAccessRequest,
  decideServiceToken,
  ensureAccessRequest,
  getSecretByName,
  getServiceTokenByHash,
  getServiceTokenById,
  listAccessRequests,
  listSecrets,
  listServiceTokens,
  readSecretValue,
  recordServiceTokenUse,
  registerServiceToken,
  setSecretValue,
  verifyAuditChain,
  type KeywardDatabase,
} from "../src/index.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-01-02T03:04:05.000Z");
const auditKey = randomBytes(32);

describe.each(backends)("queries on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  const db = async () => (open = await fresh()).db;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("creates a stub once, sets encrypted versions, and reads them back", async () => {
    const d = await db();
    const { secret: stub, created } = await createSecretStub(d, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY", description: "Stripe", requestedBy: "svc:a", at });
    const again = await createSecretStub(d, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY", description: "other", requestedBy: "svc:b", at });
    expect([created, again.created]).toEqual([true, false]);
    expect(again.secret.id).toBe(stub.id);
    expect(again.secret.description).toBe("Stripe");
    expect(stub.status).toBe("stub");
    expect(await readSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY" })).toEqual({ kind: "no_value" });

    expect(await setSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY", value: "sk_v1", actor: "admin", at })).toEqual({ kind: "ok", secretId: stub.id, version: 1 });
    expect(await setSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY", value: "sk_v2", actor: "admin", at, expectedVersion: 1 })).toMatchObject({ kind: "ok", version: 2 });
    expect(await setSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY", value: "sk_lost", actor: "admin", at, expectedVersion: 1 })).toEqual({ kind: "version_conflict", currentVersion: 2 });
    expect(await setSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "NOPE", value: "x", actor: "admin", at })).toEqual({ kind: "not_found" });

    expect(await readSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY" })).toEqual({ kind: "ok", value: "sk_v2", version: 2 });
    expect(await readSecretValue(d, envelope, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY", version: 1 })).toEqual({ kind: "ok", value: "sk_v1", version: 1 });
    expect((await getSecretByName(d, { environmentId: await defaultEnvironmentId(d), name: "STRIPE_API_KEY" }))?.status).toBe("active");

    // Only ciphertext at rest.
    const rows = await d.selectFrom("secret_versions").selectAll().execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(Buffer.from(r.ciphertext).includes(Buffer.from("sk_v"))).toBe(false);
      expect(r.ciphertext).toBeInstanceOf(Uint8Array);
    }
  });

  it("pages secrets by name", async () => {
    const d = await db();
    for (const n of ["C_KEY", "A_KEY", "B_KEY"]) await createSecretStub(d, { environmentId: await defaultEnvironmentId(d), name: n, description: n, requestedBy: "t", at });
    const first = await listSecrets(d, { environmentId: await defaultEnvironmentId(d), limit: 2 });
    expect(first.items.map((s) => s.name)).toEqual(["A_KEY", "B_KEY"]);
    expect((await listSecrets(d, { environmentId: await defaultEnvironmentId(d), cursor: first.nextCursor! })).items.map((s) => s.name)).toEqual(["C_KEY"]);
    expect((await listSecrets(d, { environmentId: await defaultEnvironmentId(d), status: "active" })).items).toEqual([]);
  });

  it("registers tokens by hash, approves, revokes and counts use", async () => {
    const d = await db();
    const hash = hashToken("kws_example");
    const first = await registerServiceToken(d, { environmentId: await defaultEnvironmentId(d), tokenHash: hash, serviceName: "identity", serviceVersion: "1.0.0", at });
    expect(first).toMatchObject({ created: true, token: { status: "pending", access_count: 0 } });
    expect((await registerServiceToken(d, { environmentId: await defaultEnvironmentId(d), tokenHash: hash, serviceName: "identity", serviceVersion: "1.0.0", at })).created).toBe(false);
    expect(await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: first.token.id, decision: "approve", actor: "admin", at })).toMatchObject({ kind: "ok", token: { status: "approved", approved_by: "admin" } });
    await recordServiceTokenUse(d, first.token.id, at);
    await recordServiceTokenUse(d, first.token.id, at);
    const found = await getServiceTokenByHash(d, hash);
    expect(found?.access_count).toBe(2);
    expect(typeof found?.access_count).toBe("number");
    const listed = (await listServiceTokens(d, { environmentId: await defaultEnvironmentId(d) })).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty("token_hash");
    expect(await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: first.token.id, decision: "revoke", actor: "admin", at })).toMatchObject({ kind: "ok", token: { status: "revoked" } });
    expect(await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: first.token.id, decision: "approve", actor: "admin", at })).toEqual({ kind: "invalid_transition", status: "revoked" });
    expect(await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: "missing", decision: "approve", actor: "admin", at })).toEqual({ kind: "not_found" });
  });

  it("gets one token's metadata by id, without its hash; undefined for an unknown id", async () => {
    const d = await db();
    const hash = hashToken("kws_by_id");
    const { token } = await registerServiceToken(d, { environmentId: await defaultEnvironmentId(d), tokenHash: hash, serviceName: "identity", serviceVersion: "2.0.0", at });
    await registerServiceToken(d, { environmentId: await defaultEnvironmentId(d), tokenHash: hashToken("kws_other"), serviceName: "other", serviceVersion: "1", at });
    const expiresAt = new Date("2030-01-02T03:04:05.000Z");
    await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: token.id, decision: "approve", actor: "admin", at, expiresAt });
    await recordServiceTokenUse(d, token.id, at);
    const found = await getServiceTokenById(d, { environmentId: await defaultEnvironmentId(d), id: token.id });
    expect(found).toMatchObject({ id: token.id, service_name: "identity", service_version: "2.0.0", status: "approved", approved_by: "admin", access_count: 1 });
    expect(typeof found?.access_count).toBe("number");
    expect(new Date(found!.expires_at!).toISOString()).toBe(expiresAt.toISOString());
    expect(found).not.toHaveProperty("token_hash");
    expect(JSON.stringify(found)).not.toContain(hash);
    expect(await getServiceTokenById(d, { environmentId: await defaultEnvironmentId(d), id: "missing" })).toBeUndefined();
  });

  it("sets, keeps and clears a token's expiry on approval; revoking leaves it", async () => {
    const d = await db();
    const { token } = await registerServiceToken(d, { environmentId: await defaultEnvironmentId(d), tokenHash: hashToken("kws_expiring"), serviceName: "identity", serviceVersion: "1.0.0", at });
    expect(token.expires_at).toBeNull();
    const expiresAt = new Date("2030-01-02T03:04:05.000Z");
    const approved = await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: token.id, decision: "approve", actor: "admin", at, expiresAt });
    expect(approved.kind === "ok" && new Date(approved.token.expires_at!).toISOString()).toBe(expiresAt.toISOString());
    // Approving again without expiresAt keeps it; null clears it.
    const again = await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: token.id, decision: "approve", actor: "admin", at });
    expect(again.kind === "ok" && new Date(again.token.expires_at!).toISOString()).toBe(expiresAt.toISOString());
    const cleared = await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: token.id, decision: "approve", actor: "admin", at, expiresAt: null });
    expect(cleared).toMatchObject({ kind: "ok", token: { expires_at: null } });
    await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: token.id, decision: "approve", actor: "admin", at, expiresAt });
    const revoked = await decideServiceToken(d, { environmentId: await defaultEnvironmentId(d), id: token.id, decision: "revoke", actor: "admin", at, expiresAt: null });
    expect(revoked.kind === "ok" && revoked.token.status === "revoked" && new Date(revoked.token.expires_at!).toISOString()).toBe(expiresAt.toISOString());
  });

  it("keeps one access request per (secret, service) and records decisions", async () => {
    const d = await db();
    const a = await ensureAccessRequest(d, { environmentId: await defaultEnvironmentId(d), secretName: "NOT_YET", serviceName: "identity", at });
    const b = await ensureAccessRequest(d, { environmentId: await defaultEnvironmentId(d), secretName: "NOT_YET", serviceName: "identity", at });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, request: { id: a.request.id } });
    expect(await decideAccessRequest(d, { environmentId: await defaultEnvironmentId(d), id: a.request.id, decision: "grant", actor: "admin", at })).toMatchObject({ kind: "ok", request: { status: "granted", decided_by: "admin" } });
    expect((await listAccessRequests(d, { environmentId: await defaultEnvironmentId(d), status: "pending" })).items).toEqual([]);
    expect((await listAccessRequests(d, { environmentId: await defaultEnvironmentId(d), status: "granted", serviceName: "identity" })).items).toHaveLength(1);
    expect(await decideAccessRequest(d, { environmentId: await defaultEnvironmentId(d), id: "missing", decision: "deny", actor: "admin", at })).toEqual({ kind: "not_found" });
  });

  it("chains audit rows and detects edits, deletions and insertions", async () => {
    const d = await db();
    const row = (action: string) => ({ at, actor_type: "admin", actor_id: "owner", action, target: "secret:X", result: "ok" });
    for (const action of ["a", "b", "c", "d"]) await appendAudit(d, auditKey, row(action));
    expect(await verifyAuditChain(d, auditKey)).toEqual({ ok: true, rows: 4 });

    await d.updateTable("audit_log").set({ result: "denied" }).where("seq", "=", 2).execute();
    expect(await verifyAuditChain(d, auditKey)).toMatchObject({ ok: false, firstBadSeq: 2 });
    await d.updateTable("audit_log").set({ result: "ok" }).where("seq", "=", 2).execute();
    expect((await verifyAuditChain(d, auditKey)).ok).toBe(true);

    await d.deleteFrom("audit_log").where("seq", "=", 3).execute();
    expect(await verifyAuditChain(d, auditKey)).toMatchObject({ ok: false, firstBadSeq: 4 });
    expect(await verifyAuditChain(d, randomBytes(32))).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it("serialises concurrent audit appends into one chain", async () => {
    const d = await db();
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit(d, auditKey, { at, actor_type: "service", actor_id: `s${i}`, action: "secret.read", target: "secret:X", result: "ok" })));
    expect(await verifyAuditChain(d, auditKey)).toEqual({ ok: true, rows: 10 });
    const count = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(d);
    expect(count.rows[0]?.n).toBe(10);
  });
});

describe.each(backends)("admin keys on %s", (_kind, fresh) => {
  it("stores keys by hash and finds only active ones", async () => {
    const open = await fresh();
    try {
      const { createAdminKey, countAdminKeys, getAdminKeyByHash } = await import("../src/index.js");
      expect(await countAdminKeys(open.db)).toBe(0);
      const key = await createAdminKey(open.db, { name: "bootstrap", role: "owner", keyHash: hashToken("kwa_x"), actor: "system", at });
      expect(await countAdminKeys(open.db)).toBe(1);
      expect((await getAdminKeyByHash(open.db, hashToken("kwa_x")))?.id).toBe(key.id);
      await open.db.updateTable("admin_api_keys").set({ revoked_at: at }).where("id", "=", key.id).execute();
      expect(await getAdminKeyByHash(open.db, hashToken("kwa_x"))).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});
