// Token expiry (service_tokens.expires_at): refused on every secret-reading RPC with
// UNAUTHENTICATED token_expired, checked at use time against the injected clock (so a cached token
// stops at its expiry), audited, and ending an open WatchSecrets stream. PGlite and PostgreSQL.
import { randomBytes } from "node:crypto";
import { status, type Metadata, type ServiceError } from "@grpc/grpc-js";
import { decideServiceToken, setSecretValue } from "@keyward/db";
import type { GetSecretResponse, GetSecretsResponse, SecretRef, WatchSecretsResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, bothDatabases, eventually, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, movableClock, unary, type TestServer , environmentId } from "./harness.js";

const VALUE = "expiry-value-" + randomBytes(8).toString("hex");
const HOUR = 60 * 60 * 1000;

describe.each(bothDatabases)("token expiry on %s", (_name, database) => {
  let t: TestServer;
  const clock = movableClock();
  beforeAll(async () => {
    t = await startTestServer(await database(), {}, { clock });
  });
  afterAll(async () => t?.close());

  const getSecret = (name: string, md: Metadata) => unary<{ name: string; description: string }, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test" }, md);
  const getSecrets = (secrets: SecretRef[], md: Metadata) => unary<{ secrets: SecretRef[] }, GetSecretsResponse>(t.client.getSecrets.bind(t.client), { secrets }, md);
  const watch = (names: string[], md: Metadata) => {
    const stream = t.client.watchSecrets({ names }, md);
    const events: WatchSecretsResponse[] = [];
    stream.on("data", (e: WatchSecretsResponse) => events.push(e));
    const ended = new Promise<ServiceError | null>((resolve) => {
      stream.on("error", (err: ServiceError) => resolve(err));
      stream.on("status", (s: { code: number }) => s.code === status.OK && resolve(null));
    });
    const live = new Promise<void>((resolve) => stream.on("metadata", () => resolve()));
    return { stream, events, ended, live };
  };
  const auditRows = (actorId: string) =>
    t.kdb.db.selectFrom("audit_log").select(["actor_id", "action", "target", "result", "reason"]).where("actor_id", "=", actorId).orderBy("seq").execute();

  it("refuses an expired token on GetSecret, GetSecrets and WatchSecrets with UNAUTHENTICATED token_expired, audits each, writes nothing else", async () => {
    const { token, id } = await tokenWithStatus(t.kdb.db, "expired-svc", "approved", new Date(clock.now().getTime() - 1000));
    await secretFor(t.kdb.db, t.envelope, { name: "EXPIRED_READ", serviceName: "expired-svc", value: VALUE, access: "granted" });
    const before = await tableCounts(t.kdb.db);

    const one = await getSecret("EXPIRED_READ", bearer(token));
    expect([one.err?.code, reasonOf(one.err)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
    expect(one.res).toBeUndefined();
    const many = await getSecrets([{ name: "EXPIRED_READ", description: "" }], bearer(token));
    expect([many.err?.code, reasonOf(many.err)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
    const w = watch([], bearer(token));
    const watchErr = await w.ended;
    expect([watchErr?.code, reasonOf(watchErr)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
    // A missing secret is not stubbed for an expired token.
    const missing = await getSecret("EXPIRED_NEVER_STUBBED", bearer(token));
    expect(reasonOf(missing.err)).toBe("token_expired");

    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(after.audit_log).toBe(before.audit_log! + 4);
    expect(await auditRows(`expired-svc#${id}`)).toEqual([
      { actor_id: `expired-svc#${id}`, action: "secret.read", target: "secret:EXPIRED_READ", result: "refused", reason: "token_expired" },
      { actor_id: `expired-svc#${id}`, action: "secret.read", target: "batch:1", result: "refused", reason: "token_expired" },
      { actor_id: `expired-svc#${id}`, action: "secret.watch", target: "watch", result: "refused", reason: "token_expired" },
      { actor_id: `expired-svc#${id}`, action: "secret.read", target: "secret:EXPIRED_NEVER_STUBBED", result: "refused", reason: "token_expired" },
    ]);
    for (const err of [one.err, many.err, watchErr]) expect(err?.details).not.toContain(token);
    expect(t.logs()).not.toContain(token);
    expect(t.logs()).not.toContain(VALUE);
    expect(JSON.stringify(await t.kdb.db.selectFrom("audit_log").selectAll().execute())).not.toContain(token);
  });

  it("serves a token before its expiry and stops the cached token once the injected clock passes it", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "soon-svc", "approved", new Date(clock.now().getTime() + HOUR));
    await secretFor(t.kdb.db, t.envelope, { name: "SOON_READ", serviceName: "soon-svc", value: VALUE, access: "granted" });
    try {
      expect((await getSecret("SOON_READ", bearer(token))).res?.value).toBe(VALUE);
      // The token is cached now; the second call is answered from the cache.
      expect((await getSecret("SOON_READ", bearer(token))).res?.value).toBe(VALUE);
      clock.offsetMs = HOUR + 1000;
      const late = await getSecret("SOON_READ", bearer(token));
      expect([late.err?.code, reasonOf(late.err)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
      const lateBatch = await getSecrets([{ name: "SOON_READ", description: "" }], bearer(token));
      expect(reasonOf(lateBatch.err)).toBe("token_expired");
      // Expiry is a time, not a state: back before it, the token works again.
      clock.offsetMs = 0;
      expect((await getSecret("SOON_READ", bearer(token))).res?.value).toBe(VALUE);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it("lets the token in again once an admin extends or clears its expiry on approval", async () => {
    const { token, id } = await tokenWithStatus(t.kdb.db, "renewed-svc", "approved", new Date(clock.now().getTime() - 1000));
    await secretFor(t.kdb.db, t.envelope, { name: "RENEWED_READ", serviceName: "renewed-svc", value: VALUE, access: "granted" });
    expect(reasonOf((await getSecret("RENEWED_READ", bearer(token))).err)).toBe("token_expired");
    // The expired token is cached (it is approved); the extension reaches the cache through the change notification.
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "approve", actor: "admin", at: new Date(), expiresAt: new Date(clock.now().getTime() + HOUR) });
    await eventually(async () => (await getSecret("RENEWED_READ", bearer(token))).res?.value === VALUE);
    // Moving the expiry into the past reaches the cached token through the change notification.
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "approve", actor: "admin", at: new Date(), expiresAt: new Date(clock.now().getTime() - 1000) });
    await eventually(async () => reasonOf((await getSecret("RENEWED_READ", bearer(token))).err) === "token_expired");
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "approve", actor: "admin", at: new Date(), expiresAt: null });
    await eventually(async () => (await getSecret("RENEWED_READ", bearer(token))).res?.value === VALUE);
  });

  it("keeps token_pending and token_revoked for tokens that are not approved, whatever their expiry", async () => {
    const pending = await tokenWithStatus(t.kdb.db, "pending-exp-svc", "pending");
    const revoked = await tokenWithStatus(t.kdb.db, "revoked-exp-svc", "approved", new Date(clock.now().getTime() - 1000));
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: revoked.id, decision: "revoke", actor: "admin", at: new Date() });
    await t.kdb.db.updateTable("service_tokens").set({ expires_at: new Date(clock.now().getTime() - 1000) }).where("id", "=", pending.id).execute();
    expect(reasonOf((await getSecret("ANY_SECRET", bearer(pending.token))).err)).toBe("token_pending");
    expect(reasonOf((await getSecret("ANY_SECRET", bearer(revoked.token))).err)).toBe("token_revoked");
  });

  it("ends an open WatchSecrets stream with UNAUTHENTICATED token_expired when the token's expiry passes", async () => {
    const expiresAt = clock.now().getTime() + 800;
    const { token } = await tokenWithStatus(t.kdb.db, "watch-exp-svc", "approved", new Date(expiresAt));
    const w = watch([], bearer(token));
    await w.live;
    const err = await w.ended;
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect([err?.code, reasonOf(err)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
    expect(err?.details).not.toContain(token);
    // A new watch with the same token is refused up front.
    const again = await watch([], bearer(token)).ended;
    expect(reasonOf(again)).toBe("token_expired");
  });

  it("ends an open stream when an admin moves the token's expiry into the past", async () => {
    const { token, id } = await tokenWithStatus(t.kdb.db, "watch-moved-svc", "approved");
    const w = watch([], bearer(token));
    await w.live;
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "approve", actor: "admin", at: new Date(), expiresAt: new Date(clock.now().getTime() - 1000) });
    const err = await w.ended;
    expect([err?.code, reasonOf(err)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
  });

  it("ends an open stream, without delivering the event, when an event arrives after the injected clock passed the expiry", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "watch-clock-svc", "approved", new Date(clock.now().getTime() + HOUR));
    await secretFor(t.kdb.db, t.envelope, { name: "WATCH_CLOCK", serviceName: "watch-clock-svc", value: VALUE, access: "granted" });
    const w = watch(["WATCH_CLOCK"], bearer(token));
    await w.live;
    try {
      clock.offsetMs = HOUR + 1000;
      await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "WATCH_CLOCK", value: VALUE + "-2", actor: "admin", at: new Date() });
      const err = await w.ended;
      expect([err?.code, reasonOf(err)]).toEqual([status.UNAUTHENTICATED, "token_expired"]);
      // The setup's own notifications (version 1) may still arrive once the watch is live; the change
      // made after the expiry (version 2) must not.
      expect(w.events.filter((e) => e.version === 2)).toEqual([]);
    } finally {
      clock.offsetMs = 0;
    }
  });
});
