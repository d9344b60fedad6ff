// RegisterToken reports where a token stands: pending, approved (with its expiry, if any), revoked,
// and expired (approved but past expires_at, against the injected clock). Registering again never
// changes the stored token. Audited as `token.register`. PGlite and PostgreSQL.
import { status, type Metadata } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX, type Clock } from "@keyward/common";
import { decideServiceToken } from "@keyward/db";
import { TokenStatus, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, bothDatabases, reasonOf, startTestServer, tableCounts, tokenWithStatus, movableClock, unary, type TestServer , environmentId } from "./harness.js";

const HOUR = 60 * 60 * 1000;

describe.each(bothDatabases)("RegisterToken on %s", (_name, database) => {
  let t: TestServer;
  const clock = movableClock();
  beforeAll(async () => {
    t = await startTestServer(await database(), {}, { clock });
  });
  afterAll(async () => t?.close());

  const register = (serviceName: string, md: Metadata) =>
    unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName, serviceVersion: "2.0.0", environment: "" }, md);
  const row = (id: string) => t.kdb.db.selectFrom("service_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const auditRows = (actorId: string) =>
    t.kdb.db.selectFrom("audit_log").select(["action", "target", "result", "reason"]).where("actor_id", "=", actorId).orderBy("seq").execute();

  it("registers a new token as pending, and reports pending again without an expiry", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    const first = await register("reg-new-svc", bearer(token));
    expect(first.res).toEqual({ status: TokenStatus.TOKEN_STATUS_PENDING, message: expect.stringContaining("waiting for an admin"), expiresAt: undefined });
    const again = await register("reg-new-svc", bearer(token));
    expect(again.res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    const stored = await t.kdb.db.selectFrom("service_tokens").selectAll().where("service_name", "=", "reg-new-svc").executeTakeFirstOrThrow();
    expect((await auditRows(`reg-new-svc#${stored.id}`)).map((r) => [r.result, r.reason])).toEqual([
      ["created", null],
      ["pending", null],
    ]);
  });

  it("reports an approved token without expiry as approved, with no expires_at", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "reg-approved-svc", "approved");
    const res = await register("reg-approved-svc", bearer(token));
    expect(res.res).toEqual({ status: TokenStatus.TOKEN_STATUS_APPROVED, message: "token approved", expiresAt: undefined });
  });

  it("reports an approved token before its expiry as approved, with expires_at", async () => {
    const expiresAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + HOUR);
    const { token } = await tokenWithStatus(t.kdb.db, "reg-soon-svc", "approved", expiresAt);
    const res = await register("reg-soon-svc", bearer(token));
    expect(res.res?.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
    expect(res.res?.expiresAt?.getTime()).toBe(expiresAt.getTime());
  });

  it("reports an approved token past its expiry as EXPIRED with expires_at, leaves it as it is, and audits it", async () => {
    const expiresAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000 - 1000);
    const { token, id } = await tokenWithStatus(t.kdb.db, "reg-expired-svc", "approved", expiresAt);
    const before = await row(id);
    const counts = await tableCounts(t.kdb.db);

    const first = await register("reg-expired-svc", bearer(token));
    expect(first.err).toBeUndefined();
    expect(first.res?.status).toBe(TokenStatus.TOKEN_STATUS_EXPIRED);
    expect(first.res?.message).toMatch(/expired; an admin must extend it or issue a new token/);
    expect(first.res?.message).not.toContain(token);
    expect(first.res?.expiresAt?.getTime()).toBe(expiresAt.getTime());
    // Registering again does not reset it to pending or approved.
    const again = await register("reg-expired-svc", bearer(token));
    expect(again.res?.status).toBe(TokenStatus.TOKEN_STATUS_EXPIRED);
    expect(await row(id)).toEqual(before);
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...counts, audit_log: 0 });
    expect(after.audit_log).toBe(counts.audit_log! + 2);
    expect(await auditRows(`reg-expired-svc#${id}`)).toEqual([
      { action: "token.register", target: `token:${id}`, result: "approved", reason: "token_expired" },
      { action: "token.register", target: `token:${id}`, result: "approved", reason: "token_expired" },
    ]);
    expect(t.logs()).not.toContain(token);
  });

  it("follows the injected clock, and an admin's extension makes the token approved again", async () => {
    const { token, id } = await tokenWithStatus(t.kdb.db, "reg-clock-svc", "approved", new Date(clock.now().getTime() + HOUR));
    try {
      expect((await register("reg-clock-svc", bearer(token))).res?.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
      clock.offsetMs = HOUR + 1000;
      expect((await register("reg-clock-svc", bearer(token))).res?.status).toBe(TokenStatus.TOKEN_STATUS_EXPIRED);
      const extended = new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + HOUR);
      await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "approve", actor: "admin", at: new Date(), expiresAt: extended });
      const res = await register("reg-clock-svc", bearer(token));
      expect(res.res?.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
      expect(res.res?.expiresAt?.getTime()).toBe(extended.getTime());
      await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "approve", actor: "admin", at: new Date(), expiresAt: null });
      expect((await register("reg-clock-svc", bearer(token))).res).toEqual({ status: TokenStatus.TOKEN_STATUS_APPROVED, message: "token approved", expiresAt: undefined });
    } finally {
      clock.offsetMs = 0;
    }
  });

  it("reports revoked (not expired) for a revoked token past its expiry, and pending for a pending one, without expires_at", async () => {
    const revoked = await tokenWithStatus(t.kdb.db, "reg-revoked-svc", "approved", new Date(clock.now().getTime() - 1000));
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: revoked.id, decision: "revoke", actor: "admin", at: new Date() });
    const pending = await tokenWithStatus(t.kdb.db, "reg-pending-svc", "pending");
    await t.kdb.db.updateTable("service_tokens").set({ expires_at: new Date(clock.now().getTime() - 1000) }).where("id", "=", pending.id).execute();

    const r = await register("reg-revoked-svc", bearer(revoked.token));
    expect(r.res).toEqual({ status: TokenStatus.TOKEN_STATUS_REVOKED, message: expect.stringContaining("revoked"), expiresAt: undefined });
    const p = await register("reg-pending-svc", bearer(pending.token));
    expect(p.res).toEqual({ status: TokenStatus.TOKEN_STATUS_PENDING, message: expect.stringContaining("waiting"), expiresAt: undefined });
    expect((await row(revoked.id)).status).toBe("revoked");
    expect((await row(pending.id)).status).toBe("pending");
  });

  it("still refuses a missing token", async () => {
    const res = await register("reg-none-svc", bearer());
    expect([res.err?.code, reasonOf(res.err)]).toEqual([status.UNAUTHENTICATED, "token_missing"]);
  });
});
