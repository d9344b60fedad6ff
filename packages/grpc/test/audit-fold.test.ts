// auditFoldReadsMs (issue #21): identical reads within a window fold into the first read's row plus
// one counted row when the window ends. Real gRPC over loopback and PGlite; the window's end is
// fired by the test (manualTimers), never waited for.
import { randomBytes } from "node:crypto";
import { status, type Metadata } from "@grpc/grpc-js";
import { createAuditWriter, decideAccessRequest, ensureAccessRequest, setSecretValue, verifyAuditChain } from "@keyward/db";
import { createLogger, generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import type { GetSecretRequest, GetSecretResponse, GetSecretsResponse, RegisterTokenRequest, RegisterTokenResponse, SecretRef } from "@keyward/proto";
import { afterEach, describe, expect, it } from "vitest";
import { createReadFolder } from "../src/read-fold.js";
import { bearer, environmentId, freshPglite, manualTimers, reasonOf, secretFor, startTestServer, tokenWithStatus, unary, type TestServer } from "./harness.js";

const VALUE = "v_" + randomBytes(12).toString("hex");
let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A server with folding set as given, a manual window, and no cache (every read goes to the database). */
async function start(options: { auditFoldReadsMs?: number; auditFoldMaxKeys?: number } = {}) {
  const timers = manualTimers();
  t = await startTestServer(await freshPglite(), options, { timers, withChanges: false });
  return { t, timers };
}

const getSecret = (s: TestServer, name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(s.client.getSecret.bind(s.client), { name, description: "test" }, md);
const getSecrets = (s: TestServer, names: string[], md: Metadata) =>
  unary<{ secrets: SecretRef[] }, GetSecretsResponse>(s.client.getSecrets.bind(s.client), { secrets: names.map((name) => ({ name, description: "test" })) }, md);
const readRows = (s: TestServer) =>
  s.kdb.db.selectFrom("audit_log").select(["actor_id", "target", "result", "reason", "count", "ip", "environment"]).where("action", "=", "secret.read").orderBy("seq").execute();
const foldedMetric = (s: TestServer) => Number(/^keyward_audit_folded_reads_total (\d+)$/m.exec(s.server.metrics())?.[1]);

/** An approved token with granted access to `names` (each with a value). */
async function reader(s: TestServer, service: string, names: string[]) {
  const { token, id } = await tokenWithStatus(s.kdb.db, service, "approved");
  for (const name of names) await secretFor(s.kdb.db, s.envelope, { name, serviceName: service, value: VALUE, access: "granted" });
  return { md: bearer(token), actor: `${service}#${id}` };
}

async function times(n: number, read: () => Promise<{ err?: unknown }>) {
  for (let i = 0; i < n; i++) expect((await read()).err).toBeUndefined();
}

describe("audit folding of reads", () => {
  it("is off by default: one row per read, nothing folded, no window", async () => {
    const { t, timers } = await start();
    const { md } = await reader(t, "plain-svc", ["PLAIN"]);
    await times(3, () => getSecret(t, "PLAIN", md));
    expect(await readRows(t)).toHaveLength(3);
    expect((await readRows(t)).every((r) => r.count === null && r.reason === null)).toBe(true);
    expect(timers.pending()).toBe(0);
    expect(foldedMetric(t)).toBe(0);
  });

  it("writes the first of 5 identical reads at once, and one row with count 4 when the window ends", async () => {
    const { t, timers } = await start({ auditFoldReadsMs: 1000 });
    const { md, actor } = await reader(t, "fold-svc", ["FOLDED"]);
    const res = await getSecret(t, "FOLDED", md);
    expect(res.res?.value).toBe(VALUE);
    expect(await readRows(t)).toEqual([{ actor_id: actor, target: "secret:FOLDED", result: "ok", reason: null, count: null, ip: expect.stringMatching(/^127\.0\.0\.1:\d+$/), environment: "development" }]);
    await times(4, () => getSecret(t, "FOLDED", md));
    // The repeats answered without a row of their own...
    expect(await readRows(t)).toHaveLength(1);
    expect(foldedMetric(t)).toBe(4);
    // ...which comes when the window ends: same actor, target, result and environment, counted.
    await timers.fire();
    const rows = await readRows(t);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({ actor_id: actor, target: "secret:FOLDED", result: "ok", reason: "folded 4 repeats of version 1", count: 4, ip: "127.0.0.1", environment: "development" });
    // A new window starts with a row again.
    await times(1, () => getSecret(t, "FOLDED", md));
    expect(await readRows(t)).toHaveLength(3);
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });
    expect(t.logs()).not.toContain(VALUE);
  });

  it("does not fold reads of different versions, tokens or results; a refused read folds as refused", async () => {
    const { t, timers } = await start({ auditFoldReadsMs: 1000 });
    const a = await reader(t, "svc-a", ["SHARED"]);
    const { token: tokenB, id: idB } = await tokenWithStatus(t.kdb.db, "svc-b", "approved");
    const env = await environmentId(t.kdb.db);
    const { request } = await ensureAccessRequest(t.kdb.db, { environmentId: env, secretName: "SHARED", serviceName: "svc-b", at: new Date() });
    await decideAccessRequest(t.kdb.db, { environmentId: env, id: request.id, decision: "grant", actor: "admin", at: new Date() });
    const b = { md: bearer(tokenB), actor: `svc-b#${idB}` };
    const c = await reader(t, "svc-c", []);
    await secretFor(t.kdb.db, t.envelope, { name: "CLOSED", serviceName: "svc-c", value: "x", access: "denied" });

    await times(2, () => getSecret(t, "SHARED", a.md));
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: env, name: "SHARED", value: VALUE + "2", actor: "admin", at: new Date() });
    await times(3, () => getSecret(t, "SHARED", a.md));
    await times(2, () => getSecret(t, "SHARED", b.md));
    for (let i = 0; i < 3; i++) {
      const denied = await getSecret(t, "CLOSED", c.md);
      expect(denied.err?.code).toBe(status.PERMISSION_DENIED);
      expect(reasonOf(denied.err)).toBe("access_denied");
    }
    // Written at once: the first of each kind (version 1 by a, version 2 by a, b, c's refusal).
    expect((await readRows(t)).map((r) => [r.actor_id, r.target, r.result, r.reason, r.count])).toEqual([
      [a.actor, "secret:SHARED", "ok", null, null],
      [a.actor, "secret:SHARED", "ok", null, null],
      [b.actor, "secret:SHARED", "ok", null, null],
      [c.actor, "secret:CLOSED", "refused", "access_denied", null],
    ]);
    await timers.fire();
    const folded = (await readRows(t)).slice(4).map((r) => [r.actor_id, r.target, r.result, r.reason, r.count]);
    expect(folded).toHaveLength(4);
    expect(folded).toEqual(
      expect.arrayContaining([
        [a.actor, "secret:SHARED", "ok", "folded 1 repeat of version 1", 1],
        [a.actor, "secret:SHARED", "ok", "folded 2 repeats of version 2", 2],
        [b.actor, "secret:SHARED", "ok", "folded 1 repeat of version 2", 1],
        [c.actor, "secret:CLOSED", "refused", "folded 2 repeats: access_denied", 2],
      ]),
    );
    expect(foldedMetric(t)).toBe(6);
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });
  });

  it("folds a repeated GetSecrets batch into a row counting every name read", async () => {
    const { t, timers } = await start({ auditFoldReadsMs: 1000 });
    const { md, actor } = await reader(t, "batch-svc", ["ONE", "TWO"]);
    await times(3, () => getSecrets(t, ["ONE", "TWO"], md));
    expect(await readRows(t)).toHaveLength(1);
    await timers.fire();
    expect((await readRows(t)).map((r) => [r.actor_id, r.target, r.result, r.reason, r.count])).toEqual([
      [actor, "secrets:ONE,TWO", "ok", null, 2],
      [actor, "secrets:ONE,TWO", "ok", "folded 2 repeats of versions 1,1", 4],
    ]);
  });

  it("writes pending counts on close, without the window ending", async () => {
    const { t, timers } = await start({ auditFoldReadsMs: 60_000 });
    const { md } = await reader(t, "closing-svc", ["CLOSING"]);
    await times(3, () => getSecret(t, "CLOSING", md));
    expect(await readRows(t)).toHaveLength(1);
    t.client.close();
    await t.server.close();
    expect(timers.pending()).toBe(0);
    expect((await readRows(t)).map((r) => [r.reason, r.count])).toEqual([
      [null, null],
      ["folded 2 repeats of version 1", 2],
    ]);
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });
  });

  it("beyond auditFoldMaxKeys kinds of read, writes one row per read", async () => {
    const { t, timers } = await start({ auditFoldReadsMs: 1000, auditFoldMaxKeys: 1 });
    const { md } = await reader(t, "many-svc", ["FIRST", "SECOND"]);
    await times(3, () => getSecret(t, "FIRST", md));
    await times(3, () => getSecret(t, "SECOND", md));
    expect((await readRows(t)).map((r) => r.target)).toEqual(["secret:FIRST", "secret:SECOND", "secret:SECOND", "secret:SECOND"]);
    await timers.fire();
    expect((await readRows(t)).slice(4).map((r) => [r.target, r.count])).toEqual([["secret:FIRST", 2]]);
    expect(foldedMetric(t)).toBe(2);
  });

  it("leaves refusals of unknown tokens to the refusal aggregation (per address), not to folding", async () => {
    const { t, timers } = await start({ auditFoldReadsMs: 1000 });
    const unknown = bearer(generateToken(SERVICE_TOKEN_PREFIX));
    for (let i = 0; i < 3; i++) expect(reasonOf((await getSecret(t, "ANY", unknown)).err)).toBe("token_unknown");
    await timers.fire();
    expect(timers.pending()).toBe(0);
    expect(foldedMetric(t)).toBe(0);
    expect((await readRows(t)).map((r) => [r.actor_id, r.target, r.reason])).toEqual([["(unknown)", "secret:ANY", "token_unknown"]]);
  });

  it("never folds what is not a value read: repeated registrations each keep their row", async () => {
    const { t } = await start({ auditFoldReadsMs: 1000 });
    const { md } = await reader(t, "reg-svc", []);
    const register = () => unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName: "reg-svc", serviceVersion: "1.0.0", environment: "" }, md);
    await times(3, register);
    expect(await t.kdb.db.selectFrom("audit_log").select("count").where("action", "=", "token.register").execute()).toEqual([{ count: null }, { count: null }, { count: null }]);
    expect(foldedMetric(t)).toBe(0);
  });
});

describe("createReadFolder when the first row cannot be written", () => {
  it("fails the read, and the repeats too; nothing is counted, and the next read tries its own row", async () => {
    const kdb = await freshPglite();
    try {
      const writer = createAuditWriter({ db: kdb.db, auditKey: randomBytes(32) });
      await writer.close(); // a closed writer refuses every append
      const timers = manualTimers();
      const folder = createReadFolder({ writer, windowMs: 1000, now: () => new Date(), logger: createLogger({ level: "silent" }), timers });
      const row = { at: new Date(), actor_type: "service", actor_id: "s#1", action: "secret.read", target: "secret:X", result: "ok", reason: null, ip: "127.0.0.1:5000", user_agent: null, request_id: null, environment: "development" };
      const first = folder.note(row, [1]);
      const repeat = folder.note(row, [1]);
      await expect(first).rejects.toThrow(/closed/);
      await expect(repeat).rejects.toThrow(/closed/);
      await expect(folder.note(row, [1])).rejects.toThrow(/closed/);
      await folder.close();
      expect(folder.folded()).toBe(0);
      expect(await kdb.db.selectFrom("audit_log").select("seq").execute()).toEqual([]);
    } finally {
      await kdb.close();
    }
  });
});
