import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import {
  appendAudit,
  auditChainStart,
  auditPartitionBounds,
  createAuditWriter,
  dropArchivedAuditPartition,
  ensureAuditPartitions,
  expiredAuditPartitions,
  listAuditPartitions,
  readAuditPartitionRows,
  verifyAuditChain,
  verifyAuditRange,
  type Database,
  type NewAuditRow,
} from "../src/index.js";
import { appendAuditBatch } from "../src/queries/audit/append-batch.js";
import { layoutPastAuditPartitions } from "../src/testing.js";
import { backends } from "./harness.js";

const auditKey = randomBytes(32);
const DAY = 86_400_000;
const row = (at: Date, action = "secret.read"): NewAuditRow => ({ at, actor_type: "service", actor_id: "tok-1", action, target: "secret:A", result: "ok" });

/** Which partition holds each seq. */
async function partitionOf(db: Kysely<Database>): Promise<Map<number, string>> {
  const { rows } = await sql<{ seq: string | number; part: string }>`select seq, tableoid::regclass::text as part from audit_log order by seq`.execute(db);
  return new Map(rows.map((r) => [Number(r.seq), r.part]));
}

describe.each(backends)("audit_log partitions on %s", (_name, fresh) => {
  it("is partitioned by time: the first partition holds the past, weekly ones follow, and the newest rows land in theirs", async () => {
    const { db, close } = await fresh();
    try {
      const { rows } = await sql<{ strategy: string }>`select partstrat as strategy from pg_partitioned_table where partrelid = 'audit_log'::regclass`.execute(db);
      expect(rows).toEqual([{ strategy: "r" }]);
      const partitions = await listAuditPartitions(db);
      expect(partitions[0]).toMatchObject({ name: "audit_log_initial", starts_at: null, state: "hot" });
      expect(partitions.length).toBeGreaterThanOrEqual(2);
      const newest = partitions[partitions.length - 1]!;
      expect(new Date(newest.ends_at).getTime()).toBeGreaterThan(Date.now() + 6 * DAY);

      await appendAudit(db, auditKey, row(new Date("2020-01-01T00:00:00Z")));
      await appendAudit(db, auditKey, row(new Date(Date.now() + 3 * DAY)));
      const where = await partitionOf(db);
      expect(where.get(1)).toBe("audit_log_initial");
      expect(where.get(2)).not.toBe("audit_log_initial");
      expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 2 });
    } finally {
      await close();
    }
  });

  it("never stamps a row before the one chained ahead of it, on every append path, so each partition is one run of seqs", async () => {
    const { db, close } = await fresh();
    try {
      const late = new Date("2026-06-10T12:00:00.000Z");
      const early = new Date("2026-06-10T11:59:59.000Z");
      await appendAudit(db, auditKey, row(late));
      await appendAudit(db, auditKey, row(early));
      await appendAuditBatch(db, auditKey, undefined, [row(early), row(new Date(late.getTime() + 5))]);
      const writer = createAuditWriter({ db, auditKey });
      await writer.append(row(early));
      await writer.close();
      const ats = (await db.selectFrom("audit_log").select(["seq", "at"]).orderBy("seq").execute()).map((r) => new Date(r.at).getTime());
      expect(ats).toEqual([late.getTime(), late.getTime(), late.getTime(), late.getTime() + 5, late.getTime() + 5]);
      expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 5 });
    } finally {
      await close();
    }
  });

  it("creates a partition on demand for a row past the newest, and spans a long gap with one partition, not hundreds", async () => {
    const { db, close } = await fresh();
    try {
      const before = (await listAuditPartitions(db)).length;
      const far = new Date(Date.now() + 3 * 365 * DAY);
      await appendAuditBatch(db, auditKey, undefined, [row(far)]);
      const after = await listAuditPartitions(db);
      expect(after.length - before).toBeGreaterThanOrEqual(1);
      expect(after.length - before).toBeLessThanOrEqual(3);
      const holder = after.find((p) => new Date(p.ends_at) > far && (p.starts_at === null || new Date(p.starts_at) <= far));
      expect(holder).toBeDefined();
      expect((await partitionOf(db)).get(1)).toBe(holder!.name);
      // The scheduler's call makes nothing more when the range is covered, and refuses a bad period.
      expect(await ensureAuditPartitions(db, { until: new Date(Date.now() + DAY), periodDays: 7 })).toBe(0);
      await expect(ensureAuditPartitions(db, { until: far, periodDays: 0 })).rejects.toThrow(/1 to 31 days/);
    } finally {
      await close();
    }
  });

  it("drops an archived partition with its registry entry and audit row; the chain then starts at the archive's end", async () => {
    const { db, close } = await fresh();
    try {
      const old = new Date("2020-01-01T00:00:00Z");
      for (let i = 0; i < 3; i++) await appendAudit(db, auditKey, row(old));
      // The first partition ends at the migration's next midnight: it is expired a week later.
      const expired = await expiredAuditPartitions(db, new Date(Date.now() + 7 * DAY));
      expect(expired.map((p) => p.name)).toContain("audit_log_initial");
      const bounds = (await auditPartitionBounds(db, "audit_log_initial"))!;
      expect(bounds).toMatchObject({ rows: 3, first: { seq: 1 }, last: { seq: 3 } });
      const streamed = [];
      for await (const r of readAuditPartitionRows(db, "audit_log_initial", 2)) streamed.push(r.seq);
      expect(streamed).toEqual([1, 2, 3]);

      // Archived a week early here: its rows, and the audit row of the drop, are stamped after its end.
      const at = new Date(Date.now() + 2 * DAY);
      const archive = { name: "audit_log_initial", archiveName: "audit-1-3", sink: "directory /tmp/x", rows: 3, firstSeq: 1, lastSeq: 3, beforeHash: bounds.first.prevHash, afterHash: bounds.last.hash };
      // A partition that no longer holds what was archived is left alone.
      expect(await dropArchivedAuditPartition(db, auditKey, { archive: { ...archive, rows: 2 }, at, actorType: "system", actor: "keyward" })).toEqual({ dropped: false, reason: "changed" });
      expect(await dropArchivedAuditPartition(db, auditKey, { archive, at, actorType: "system", actor: "keyward" })).toEqual({ dropped: true });
      expect(await dropArchivedAuditPartition(db, auditKey, { archive, at, actorType: "system", actor: "keyward" })).toEqual({ dropped: false, reason: "not_hot" });

      const { rows: tables } = await sql<{ t: string | null }>`select to_regclass('audit_log_initial')::text as t`.execute(db);
      expect(tables).toEqual([{ t: null }]);
      expect((await listAuditPartitions(db))[0]).toMatchObject({ name: "audit_log_initial", state: "archived", first_seq: 1, last_seq: 3, row_count: 3, archive_name: "audit-1-3" });
      const rows = await db.selectFrom("audit_log").selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ seq: 4, action: "audit.archive", target: "audit_partition:audit_log_initial", prev_hash: bounds.last.hash });
      expect(await auditChainStart(db)).toEqual({ ok: true, from: { seq: 3, hash: bounds.last.hash }, archived: 3 });
      expect(await verifyAuditChain(db, auditKey)).toEqual({ ok: true, rows: 1 });
    } finally {
      await close();
    }
  });

  it("names rows deleted from the start of the log that no archive accounts for", async () => {
    const { db, close } = await fresh();
    try {
      for (let i = 0; i < 4; i++) await appendAudit(db, auditKey, row(new Date()));
      await db.deleteFrom("audit_log").where("seq", "<=", 2).execute();
      expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: false, firstBadSeq: 1, problem: expect.stringMatching(/starts at seq 3 and no archive holds rows 1–2/) });
    } finally {
      await close();
    }
  });

  it("verifies any range of seqs, anchored on the row before it", async () => {
    const { db, close } = await fresh();
    try {
      for (let i = 0; i < 6; i++) await appendAudit(db, auditKey, row(new Date(), `a${i}`));
      expect(await verifyAuditRange(db, auditKey, { fromSeq: 3, toSeq: 5 })).toMatchObject({ ok: true, rows: 3, last: { seq: 5 } });
      expect(await verifyAuditRange(db, auditKey, { toSeq: 2 })).toMatchObject({ ok: true, rows: 2 });
      await db.updateTable("audit_log").set({ action: "edited" }).where("seq", "=", 4).execute();
      expect(await verifyAuditRange(db, auditKey, { fromSeq: 3, toSeq: 5 })).toMatchObject({ ok: false, firstBadSeq: 4 });
      // Outside the edited row, the range still verifies.
      expect(await verifyAuditRange(db, auditKey, { fromSeq: 5 })).toMatchObject({ ok: true, rows: 2 });
      expect(await verifyAuditRange(db, auditKey, { fromSeq: 50 })).toMatchObject({ ok: false, firstBadSeq: 50, problem: "row 50 is not in the log" });
      // With the rows before it gone (archived elsewhere, or a restored log), a range starts from its first row's link.
      await db.deleteFrom("audit_log").where("seq", "<=", 2).execute();
      expect(await verifyAuditRange(db, auditKey, { fromSeq: 3, toSeq: 3 })).toMatchObject({ ok: true, rows: 1 });
    } finally {
      await close();
    }
  });
});

describe.each(backends)("layoutPastAuditPartitions on %s", (_name, fresh) => {
  it("lays out weekly partitions from a past date, so rows stamped in the past land in their own weeks", async () => {
    const { db, close } = await fresh();
    try {
      const from = new Date(Date.now() - 30 * DAY);
      const names = await layoutPastAuditPartitions(db, { from, periodDays: 7 });
      expect(names[0]).toBe("audit_log_initial");
      expect(names.length).toBeGreaterThanOrEqual(6);
      await appendAudit(db, auditKey, row(new Date(from.getTime() + DAY)));
      await appendAudit(db, auditKey, row(new Date(from.getTime() + 9 * DAY)));
      const where = await partitionOf(db);
      expect(new Set(where.values()).size).toBe(2);
      expect(where.get(1)).not.toBe("audit_log_initial");
      await expect(layoutPastAuditPartitions(db, { from, periodDays: 7 })).rejects.toThrow(/empty audit log/);
    } finally {
      await close();
    }
  });
});
