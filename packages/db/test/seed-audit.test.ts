import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { appendAudit, listAuditPartitions, verifyAuditChain, verifyAuditRange, type Database, type KeywardDatabase } from "../src/index.js";
import { layoutPastAuditPartitions, seedAuditLog, type AuditSeedProgress } from "../src/testing.js";
import { freshPglite, freshPostgresWithUrl } from "./harness.js";

const auditKey = randomBytes(32);
const DAY = 86_400_000;

/** Each partition that holds rows: its name, row count and seq range. */
async function partitionRuns(db: Kysely<Database>) {
  const { rows } = await sql<{ part: string; n: number; lo: number; hi: number }>`select tableoid::regclass::text as part, count(*)::int as n, min(seq)::int as lo, max(seq)::int as hi
    from audit_log group by 1 order by 3`.execute(db);
  return rows;
}

/** Where a fresh database's first partition ends: rows seeded from there on get partitions of their own. */
async function afterInitialPartition(db: Kysely<Database>): Promise<Date> {
  const initial = (await listAuditPartitions(db)).find((p) => p.name === "audit_log_initial")!;
  return new Date(initial.ends_at);
}

describe("seedAuditLog", () => {
  let kdb: KeywardDatabase | undefined;
  afterEach(async () => {
    await kdb?.close();
    kdb = undefined;
  });

  it("copies 20,000 rows into PostgreSQL, chained after the head, over several partitions, and the chain verifies", async () => {
    const { database, url } = await freshPostgresWithUrl();
    kdb = database;
    const { db } = database;
    // A row already there: the seed chains after it.
    await appendAudit(db, auditKey, { at: new Date(), actor_type: "admin", actor_id: "a", action: "secret.create", target: "secret:A", result: "ok" });
    const from = await afterInitialPartition(db);
    const to = new Date(from.getTime() + 28 * DAY);
    const progress: AuditSeedProgress[] = [];
    const result = await seedAuditLog(url, { rows: 20_000, from, to, auditKey, batchSize: 3_000, periodDays: 7, onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ rows: 20_000, firstSeq: 2, lastSeq: 20_001, method: "copy" });
    expect(result.head.seq).toBe(20_001);
    expect(progress.map((p) => p.rows)).toEqual([3_000, 6_000, 9_000, 12_000, 15_000, 18_000, 20_000]);
    expect(progress.every((p) => p.total === 20_000 && p.rowsPerSec > 0)).toBe(true);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 20_001 });

    // Four weekly partitions hold the seeded rows (the first row stays in the initial one), each one
    // contiguous run of seqs, in time order.
    const runs = await partitionRuns(db);
    expect(runs[0]).toMatchObject({ part: "audit_log_initial", n: 1, lo: 1, hi: 1 });
    const seeded = runs.slice(1);
    expect(seeded).toHaveLength(4);
    expect(seeded.map((r) => r.n)).toEqual([5_000, 5_000, 5_000, 5_000]);
    for (const [i, r] of seeded.entries()) expect(r.lo).toBe(i === 0 ? 2 : seeded[i - 1]!.hi + 1);
    const { rows: span } = await sql<{ lo: Date; hi: Date }>`select min(at) as lo, max(at) as hi from audit_log where seq >= 2`.execute(db);
    expect(new Date(span[0]!.lo).getTime()).toBe(from.getTime());
    expect(new Date(span[0]!.hi).getTime()).toBeLessThan(to.getTime());

    // Realistic rows: mostly reads by many tokens of many secrets, some refusals, some admin changes.
    const { rows: mix } = await sql<{ reads: number; refused: number; admin: number; actors: number; targets: number }>`select
        count(*) filter (where action = 'secret.read' and result = 'ok')::int as reads,
        count(*) filter (where result = 'refused')::int as refused,
        count(*) filter (where actor_type = 'admin')::int as admin,
        count(distinct actor_id)::int as actors, count(distinct target)::int as targets
      from audit_log where seq >= 2`.execute(db);
    expect(mix[0]!.reads).toBeGreaterThan(18_000);
    expect(mix[0]!.refused).toBeGreaterThan(200);
    expect(mix[0]!.admin).toBeGreaterThan(50);
    expect(mix[0]!.actors).toBeGreaterThan(1_000);
    expect(mix[0]!.targets).toBeGreaterThan(5_000);

    // A range in the middle verifies on its own, and the normal append path carries on after the seed
    // (the sequence moved past the last seq; the row's time is clamped to the head's).
    expect(await verifyAuditRange(db, auditKey, { fromSeq: 7_000, toSeq: 12_000 })).toMatchObject({ ok: true, rows: 5_001 });
    expect(await appendAudit(db, auditKey, { at: new Date(), actor_type: "admin", actor_id: "a", action: "secret.create", target: "secret:B", result: "ok" })).toBe(20_002);
    const { rows: next } = await sql<{ seq: number }>`select nextval(pg_get_serial_sequence('audit_log', 'seq'))::int as seq`.execute(db);
    expect(next[0]!.seq).toBe(20_002);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 20_002 });
  });

  it("seeds the past over partitions laid out back from now, and the service's next row follows in the newest", async () => {
    const { database, url } = await freshPostgresWithUrl();
    kdb = database;
    const { db } = database;
    const now = new Date();
    await layoutPastAuditPartitions(db, { from: new Date(now.getTime() - 21 * DAY), periodDays: 7 });
    const from = await afterInitialPartition(db);
    await seedAuditLog(url, { rows: 3_000, from, to: now, auditKey, periodDays: 7 });
    expect((await partitionRuns(db)).length).toBeGreaterThanOrEqual(3);
    expect(await appendAudit(db, auditKey, { at: new Date(), actor_type: "admin", actor_id: "a", action: "secret.create", target: "secret:B", result: "ok" })).toBe(3_001);
    const runs = await partitionRuns(db);
    expect(runs[runs.length - 1]!.hi).toBe(3_001);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 3_001 });
  });

  it("escapes tabs, newlines and backslashes for COPY, so such rows are stored as hashed", async () => {
    const { database, url } = await freshPostgresWithUrl();
    kdb = database;
    const { db } = database;
    const from = await afterInitialPartition(db);
    const odd = ["tab\there", "line\nbreak", "back\\slash \\N", "cr\rhere", "\\t literal"];
    let i = 0;
    await seedAuditLog(url, {
      rows: odd.length,
      from,
      to: new Date(from.getTime() + DAY),
      auditKey,
      rowSource: (at) => ({ at, actor_type: "admin", actor_id: "a", action: "secret.describe", target: `secret:X${i}`, result: "ok", reason: odd[i++]! }),
    });
    const stored = await db.selectFrom("audit_log").select("reason").orderBy("seq").execute();
    expect(stored.map((r) => r.reason)).toEqual(odd);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: odd.length });
  });

  it("refuses a range that starts before the chain's head, and writes nothing", async () => {
    const { database, url } = await freshPostgresWithUrl();
    kdb = database;
    const { db } = database;
    const from = await afterInitialPartition(db);
    await appendAudit(db, auditKey, { at: new Date(from.getTime() + DAY), actor_type: "admin", actor_id: "a", action: "secret.create", target: "secret:A", result: "ok" });
    await expect(seedAuditLog(url, { rows: 10, from, to: new Date(from.getTime() + 2 * DAY), auditKey })).rejects.toThrow(/from \(.*\) is before the newest audit row/);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
    expect(rows[0]!.n).toBe(1);
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 1 });
  });

  it("names a bad option", async () => {
    const from = new Date("2030-01-01T00:00:00Z");
    const to = new Date("2030-01-02T00:00:00Z");
    const url = "postgres://unused.invalid/none";
    await expect(seedAuditLog(url, { rows: 0, from, to, auditKey })).rejects.toThrow(/rows must be a positive integer, got 0/);
    await expect(seedAuditLog(url, { rows: 1, from: to, to: from, auditKey })).rejects.toThrow(/to \(2030-01-01T00:00:00.000Z\) must be after from/);
    await expect(seedAuditLog(url, { rows: 1, from: new Date("nope"), to, auditKey })).rejects.toThrow(/from must be a valid Date/);
    await expect(seedAuditLog(url, { rows: 1, from, to, auditKey: new Uint8Array(4) })).rejects.toThrow(/auditKey must be a key of at least 16 bytes/);
    await expect(seedAuditLog(url, { rows: 1, from, to, auditKey, periodDays: 40 })).rejects.toThrow(/periodDays must be 1 to 31, got 40/);
  });

  it("seeds through INSERTs when given a Kysely (PGlite)", async () => {
    kdb = await freshPglite();
    const { db } = kdb;
    const from = await afterInitialPartition(db);
    const result = await seedAuditLog(db, { rows: 600, from, to: new Date(from.getTime() + 14 * DAY), auditKey, batchSize: 250 });
    expect(result).toMatchObject({ rows: 600, firstSeq: 1, lastSeq: 600, method: "insert" });
    expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 600 });
    expect((await partitionRuns(db)).map((r) => r.n)).toEqual([300, 300]);
    expect(await appendAudit(db, auditKey, { at: new Date(), actor_type: "admin", actor_id: "a", action: "secret.create", target: "secret:B", result: "ok" })).toBe(601);
  });
});
