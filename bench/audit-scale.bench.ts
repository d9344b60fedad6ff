// Issue #21 "Measured": the audit log at scale. Two throwaway PostgreSQL databases with the same
// secrets and tokens (seedScale, 100 secrets / 100 tokens, 20 grants each); one gets N audit rows
// (KEYWARD_BENCH_AUDIT_ROWS, default 10,000,000) through seedAuditLog (COPY, chained with the
// server's audit key), spread over weekly partitions of about a million rows each. Then:
//  - GetSecret throughput at 64 in flight, empty log vs seeded, alternating ROUNDS rounds (each row
//    its median run, the figure the median of the rounds' ratios); target: seeded ≥ 0.90× empty;
//  - bytes per million rows: pg_total_relation_size (table, indexes, TOAST) summed over audit_log's
//    partitions, after VACUUM (ANALYZE), divided by the rows;
//  - the time verifyAuditRange takes over one million rows (or all of them, when fewer);
//  - the oldest partition holding rows archived to a directory sink and dropped while GetSecret load
//    runs (the service's archiveAuditPartition): the calls during the archive step and during the
//    drop, beside the p99 of the calls before it;
//  - seeding speed, as information.
// The partitions are laid out back from now (layoutPastAuditPartitions), and the rows seeded over
// them up to now, so the server's own rows follow them in the newest partition, as on a log written
// all along. The databases are dropped at the end, also on failure and on Ctrl-C.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createDirectorySink } from "@keyward/audit-archive";
import { createEnvelope, kekFromKey, signingKeysFromSeed, systemClock, type Envelope } from "@keyward/common";
import { auditChainStart, auditPartitionBounds, listAuditPartitions, verifyAuditRange, type Database } from "@keyward/db";
import { layoutPastAuditPartitions, seedAuditLog, seedScale, type AuditSeedResult, type ScaleSeed } from "@keyward/db/testing";
import { archiveAuditPartition, type ArchivePartitionDeps, type PartitionOutcome } from "@keyward/service";
import type { RunningGrpcServer } from "@keyward/grpc";
import type { GetSecretRequest } from "@keyward/proto";
import { sql, type Kysely } from "kysely";
import { measureInWorker, type LoadJob } from "./lib/grpc-client.js";
import { runTimelineInWorker, timelineNow, timelineStop, type Timeline } from "./lib/grpc-timeline.js";
import { startBenchGrpcServer } from "./lib/grpc-server.js";
import { formatCount, headline } from "./lib/headline.js";
import type { MeasureOptions } from "./lib/measure.js";
import { alternate, reportAlternated } from "./lib/rounds.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./lib/throwaway-database.js";

const ROWS = Number(process.env.KEYWARD_BENCH_AUDIT_ROWS ?? 10_000_000);
const ROWS_PER_PARTITION = 1_000_000;
const PERIOD_DAYS = 7;
const VERIFY_ROWS = 1_000_000;
const ROUNDS = 3;
const TARGET = 0.9;
const GRPC_OPTIONS: MeasureOptions = { durationMs: 3000, warmupMs: 1000, concurrency: 64 };
/** Disk one seeded row takes, with its indexes, plus a margin (measured: about 390 bytes; see the README). */
const DISK_BYTES_PER_ROW = 450;
const DAY_MS = 86_400_000;

interface World {
  label: string;
  database: ThrowawayDatabase;
  server: RunningGrpcServer;
  calls: { token: string; request: GetSecretRequest }[];
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/**
 * Refuses a row count the disk under / cannot clearly hold: the estimate plus HEADROOM_BYTES must fit
 * in what is free. The headroom covers what the estimate leaves out: WAL written during the COPY
 * (recycled at each checkpoint, up to max_wal_size and a little past it), VACUUM's work files, the
 * empty-log database and the rest of the machine. The estimate itself already carries a margin over
 * the measured row size.
 */
const HEADROOM_BYTES = 15e9;
function checkDisk(rows: number): void {
  const st = fs.statfsSync("/");
  const free = st.bavail * st.bsize;
  const need = rows * DISK_BYTES_PER_ROW;
  const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
  console.log(`disk: ${gb(free)} free on /; ${rows.toLocaleString("en")} rows need about ${gb(need)}, plus ${gb(HEADROOM_BYTES)} of headroom`);
  if (need + HEADROOM_BYTES > free) throw new Error(`audit-scale: ${rows.toLocaleString("en")} rows need about ${gb(need)} plus ${gb(HEADROOM_BYTES)} of headroom, more than the ${gb(free)} free on /; lower KEYWARD_BENCH_AUDIT_ROWS or free some disk`);
}

/** The small scale seed's working set: every token's 20 secrets, shuffled the same way in both databases. */
function readCalls(seed: ScaleSeed): { token: string; request: GetSecretRequest }[] {
  const calls = seed.tokens.flatMap((t) => t.grants.map((i) => ({ token: t.token, request: { name: seed.secretNames[i]!, description: `scale seed ${seed.secretNames[i]}` } })));
  let x = 0x9e3779b9;
  for (let i = calls.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [calls[i], calls[j]] = [calls[j]!, calls[i]!];
  }
  return calls;
}

async function settle(db: Kysely<Database>): Promise<number> {
  const t0 = performance.now();
  await sql`vacuum (analyze)`.execute(db);
  await sql`checkpoint`.execute(db);
  return performance.now() - t0;
}

/** Table, indexes and TOAST of every partition of audit_log. */
async function auditLogBytes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`select coalesce(sum(pg_total_relation_size(relid)), 0)::text as bytes from pg_partition_tree('audit_log') where isleaf`.execute(db);
  return Number(rows[0]!.bytes);
}

/** Lays out weekly partitions back from now and seeds the rows over them, up to now. */
async function seedRows(world: World, auditKey: Uint8Array): Promise<AuditSeedResult> {
  const { db } = world.database.kdb;
  const partitions = Math.max(3, Math.round(ROWS / ROWS_PER_PARTITION));
  const to = new Date();
  await layoutPastAuditPartitions(db, { from: new Date(to.getTime() - partitions * PERIOD_DAYS * DAY_MS), periodDays: PERIOD_DAYS });
  const initial = (await listAuditPartitions(db)).find((p) => p.name === "audit_log_initial");
  if (!initial) throw new Error("audit-scale: layoutPastAuditPartitions left no audit_log_initial partition");
  let reported = 0;
  const step = Math.max(1, Math.floor(ROWS / 10));
  return seedAuditLog(world.database.url, {
    rows: ROWS,
    from: new Date(initial.ends_at),
    to,
    auditKey,
    periodDays: PERIOD_DAYS,
    onProgress: (p) => {
      if (p.rows - reported < step && p.rows < p.total) return;
      reported = p.rows;
      console.log(`  seeded ${p.rows.toLocaleString("en")} / ${p.total.toLocaleString("en")} rows, ${(p.elapsedMs / 1000).toFixed(1)} s, ${formatCount(p.rowsPerSec)} rows/s`);
    },
  });
}

async function buildWorld(label: string, envelope: Envelope, auditKey: Uint8Array, worlds: World[]): Promise<World> {
  const database = await createThrowawayDatabase({ max: 20 });
  try {
    const seed = await seedScale(database.kdb.db, envelope, { secrets: 100, tokens: 100, grantsPerToken: 20 });
    const server = await startBenchGrpcServer(database.kdb, envelope, {}, { auditKey });
    const world = { label, database, server, calls: readCalls(seed) };
    worlds.push(world);
    return world;
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The longest and the p99 latency of the calls that overlap [from, to). */
function overlapping(timeline: Timeline, from: number, to: number) {
  const ms: number[] = [];
  timeline.starts.forEach((s, i) => {
    const e = timeline.ends[i]!;
    if (s < to && e > from) ms.push(e - s);
  });
  return { calls: ms.length, max: ms.reduce((a, b) => Math.max(a, b), 0), p99: quantile(ms, 0.99) };
}

/**
 * Archives the oldest partition holding rows to a directory sink and drops it (the service's
 * archiveAuditPartition: write, read back and verify, then dropArchivedAuditPartition) while GetSecret
 * load runs; the calls during the archive step and during the drop, beside the p99 before.
 */
async function archiveUnderLoad(world: World, auditKey: Uint8Array) {
  const { db } = world.database.kdb;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-archive-"));
  try {
    let dropAt = NaN;
    const deps: ArchivePartitionDeps = {
      db,
      auditKey,
      signer: signingKeysFromSeed(randomBytes(32)),
      sink: createDirectorySink({ dir }),
      clock: systemClock,
      actor: { type: "system", id: "bench" },
      beforeDrop: async () => {
        dropAt = timelineNow();
      },
    };
    // The empty first partition goes first, outside the measurement.
    for (;;) {
      const oldest = (await listAuditPartitions(db)).find((p) => p.state === "hot")!;
      if ((await auditPartitionBounds(db, oldest.name)) !== null) break;
      const r = await archiveAuditPartition(deps, oldest);
      if (r.outcome !== "dropped_empty") throw new Error(`audit-scale: the empty partition ${oldest.name} was not dropped: ${JSON.stringify(r)}`);
    }
    const oldest = (await listAuditPartitions(db)).find((p) => p.state === "hot")!;
    const stopper = timelineStop();
    const load = runTimelineInWorker({ port: world.server.port, calls: world.calls, concurrency: 64, durationMs: 30 * 60_000, stop: stopper.buffer });
    let outcome: PartitionOutcome;
    let t0: number;
    let t2: number;
    try {
      await new Promise((r) => setTimeout(r, 4000));
      t0 = timelineNow();
      outcome = await archiveAuditPartition(deps, oldest);
      t2 = timelineNow();
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      stopper.stop();
    }
    const timeline = await load;
    if (outcome.outcome !== "archived") throw new Error(`audit-scale: ${oldest.name} was not archived: ${JSON.stringify(outcome)}`);
    const start = await auditChainStart(db);
    if (!start.ok) throw new Error(`audit-scale: after the drop the chain's start does not check: ${start.problem}`);
    const archiveBytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

    // Before: calls that started after the first second (warm) and ended before the archive began.
    const first = timeline.starts.reduce((a, b) => Math.min(a, b), Infinity);
    const before: number[] = [];
    timeline.starts.forEach((s, i) => {
      const e = timeline.ends[i]!;
      if (e < t0 && s > first + 1000) before.push(e - s);
    });
    return {
      partition: oldest.name,
      rows: outcome.rows,
      archiveBytes,
      archiveMs: dropAt - t0,
      dropMs: t2 - dropAt,
      p99Before: quantile(before, 0.99),
      p50Before: quantile(before, 0.5),
      archiving: overlapping(timeline, t0, dropAt),
      dropping: overlapping(timeline, dropAt, t2),
      failed: timeline.failed,
      calls: timeline.starts.length,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function auditScaleBench(): Promise<void> {
  if (!Number.isSafeInteger(ROWS) || ROWS < 10_000) throw new Error(`audit-scale: KEYWARD_BENCH_AUDIT_ROWS must be an integer of at least 10,000, got ${process.env.KEYWARD_BENCH_AUDIT_ROWS}`);
  checkDisk(ROWS);
  const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
  const auditKey = randomBytes(32);
  const worlds: World[] = [];
  const cleanup = async () => {
    for (const w of worlds.splice(0)) {
      await w.server.close().catch(() => {});
      await w.database.drop().catch((e: unknown) => console.error(`audit-scale: could not drop ${w.database.url}: ${String(e)}`));
    }
  };
  // Ctrl-C during a long seed: the big database must not stay behind.
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const empty = await buildWorld("empty audit log", envelope, auditKey, worlds);
    const seeded = await buildWorld(`${ROWS.toLocaleString("en")} audit rows`, envelope, auditKey, worlds);

    console.log(`seeding ${ROWS.toLocaleString("en")} audit rows (COPY, chained) …`);
    const seed = await seedRows(seeded, auditKey);
    const settleMs = await settle(seeded.database.kdb.db);
    await settle(empty.database.kdb.db);
    const parts = (await listAuditPartitions(seeded.database.kdb.db)).filter((p) => p.state === "hot");
    console.log(`seeded ${seed.rows.toLocaleString("en")} rows in ${(seed.elapsedMs / 1000).toFixed(1)} s (${formatCount((seed.rows / seed.elapsedMs) * 1000)} rows/s); VACUUM (ANALYZE) and CHECKPOINT ${(settleMs / 1000).toFixed(1)} s; ${parts.length} hot partitions`);

    // Size before any read adds rows: the seeded rows only.
    const bytes = await auditLogBytes(seeded.database.kdb.db);
    const perMillion = (bytes / seed.rows) * 1e6;

    // Verify a million rows (a partition's worth), from the first seeded row.
    const verifyRows = Math.min(VERIFY_ROWS, seed.rows);
    const v0 = performance.now();
    const check = await verifyAuditRange(seeded.database.kdb.db, auditKey, { fromSeq: seed.firstSeq, toSeq: seed.firstSeq + verifyRows - 1 });
    const verifyMs = performance.now() - v0;
    if (!check.ok || check.rows !== verifyRows) throw new Error(`audit-scale: verifying the seeded rows failed: ${JSON.stringify(check)}`);

    const measureGetSecret = (w: typeof empty) => () => measureInWorker({ name: w.label, kind: "getSecret", port: w.server.port, calls: w.calls, options: GRPC_OPTIONS } as LoadJob);
    const r = await alternate(ROUNDS, measureGetSecret(empty), measureGetSecret(seeded));
    reportAlternated(`GetSecret, 64 in flight: ${seeded.label} vs an empty log (median of ${ROUNDS} alternating rounds)`, r);
    const { rows: [emptyRow, seededRow], ratio } = r;
    headline({ path: `GetSecret with ${seeded.label} (64 in flight)`, figure: `${formatCount(seededRow.opsPerSec)} ops/s`, baseline: `empty log: ${formatCount(emptyRow.opsPerSec)} ops/s`, result: `${ratio.toFixed(2)}×`, target: `≥ ${TARGET.toFixed(2)}×`, met: ratio >= TARGET });

    const drop = await archiveUnderLoad(seeded, auditKey);
    const bound = drop.dropMs + drop.p99Before;

    console.log(`\n## The audit log at ${seeded.label}`);
    console.log(`  GetSecret ÷ empty log (64 in flight)      ${ratio.toFixed(2)}×  (${formatCount(seededRow.opsPerSec)} vs ${formatCount(emptyRow.opsPerSec)} ops/s; target ≥ ${TARGET.toFixed(2)}×: ${ratio >= TARGET ? "met" : "NOT met"})`);
    console.log(`  bytes per million reads (rows)            ${mb(perMillion)} (audit_log ${mb(bytes)} over ${parts.length} partitions, table + indexes + TOAST)`);
    console.log(`  verify ${verifyRows.toLocaleString("en")} rows (verifyAuditRange)    ${(verifyMs / 1000).toFixed(2)} s (${formatCount((verifyRows / verifyMs) * 1000)} rows/s)`);
    console.log(`  archive and drop ${drop.partition} (${drop.rows.toLocaleString("en")} rows) under GetSecret load (archiveAuditPartition, directory sink):`);
    console.log(`    archive written, read back and verified  ${(drop.archiveMs / 1000).toFixed(1)} s, ${mb(drop.archiveBytes)} (${mb((drop.archiveBytes / drop.rows) * 1e6)} per million rows); GetSecret meanwhile: max ${drop.archiving.max.toFixed(1)} ms, p99 ${drop.archiving.p99.toFixed(1)} ms (${drop.archiving.calls} calls)`);
    console.log(`    drop (dropArchivedAuditPartition)         ${drop.dropMs.toFixed(0)} ms; longest GetSecret overlapping it ${drop.dropping.max.toFixed(1)} ms (${drop.dropping.calls} calls)`);
    console.log(`    p99 before ${drop.p99Before.toFixed(1)} ms (p50 ${drop.p50Before.toFixed(1)} ms); ${drop.calls.toLocaleString("en")} calls, ${drop.failed} failed`);
    console.log(`    bound: the drop's length plus one p99 call = ${bound.toFixed(0)} ms: ${drop.dropping.max <= bound ? "within" : "EXCEEDED"}`);
    console.log(`  seeding                                    ${formatCount((seed.rows / seed.elapsedMs) * 1000)} rows/s (${(seed.elapsedMs / 1000).toFixed(1)} s)`);
    headline({ path: `longest GetSecret while a ${drop.rows.toLocaleString("en")}-row audit partition is dropped`, figure: `${drop.dropping.max.toFixed(0)} ms`, baseline: `p99 before: ${drop.p99Before.toFixed(0)} ms`, result: `${drop.dropping.max.toFixed(0)} ms`, target: `≤ drop + p99 (${bound.toFixed(0)} ms)`, met: drop.dropping.max <= bound });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}
