// Bulk audit rows for benchmarks and scale tests (issue #21): `rows` rows spread evenly over
// [from, to), chained after the current head with the real HMAC, in one transaction that holds the
// audit lock (appends wait; nothing can fork the chain). Given a PostgreSQL URL the rows go in
// through COPY FROM STDIN (pg-copy-streams, an optional peer dependency loaded only here); given a Kysely
// (PGlite, or a pool without a URL) through multi-row unnest INSERTs, slower but anywhere.
//
// The chain is sequential, so hashing is one thread's work: a batch is hashed and encoded while the
// one before it streams to the server and PostgreSQL routes it into the partitions.
//
// Partitions: a fresh database's first partition, audit_log_initial, holds everything before the
// midnight after its migration, so rows seeded before that all land in it. keyward_audit_cover
// makes one partition spanning a gap of more than two periods (a clock jump), so the range is
// covered a period at a time, as a scheduler running all along would have done.
import { performance } from "node:perf_hooks";
import { once } from "node:events";
import { Kysely, PostgresDialect, sql, type PostgresPool } from "kysely";
import pg from "pg";
import type { Database, NewAuditRow } from "../schema.js";
import { AUDIT_LOCK } from "../queries/audit/append.js";
import { readAuditHead } from "../queries/audit/append-batch.js";
import { auditRowHash } from "../queries/audit/chain.js";
import { ensureAuditPartitions } from "../queries/audit-partitions/ensure.js";
import { createAuditRowSource, DEFAULT_AUDIT_SEED_POPULATION, type AuditRowSource, type AuditSeedPopulation } from "./audit-seed-rows.js";

export interface AuditSeedProgress {
  /** Rows sent so far. */
  rows: number;
  total: number;
  elapsedMs: number;
  rowsPerSec: number;
}

export interface AuditSeedOptions {
  /** How many rows. */
  rows: number;
  /** The first row's time; must not be before the chain's head. */
  from: Date;
  /** Rows are spread evenly over [from, to). */
  to: Date;
  /** The audit key the service uses, so its own checks verify the seeded rows. */
  auditKey: Uint8Array;
  /** Length of the partitions made for the range, in days (default 7, the migration's). */
  periodDays?: number;
  /** Rows hashed and sent per batch (default 20,000). */
  batchSize?: number;
  /** How many services, secrets and admins the rows spread over. */
  population?: Partial<AuditSeedPopulation>;
  /** Makes each row from its time, in order (default: createAuditRowSource over `population`); the row keeps the time given. */
  rowSource?: AuditRowSource;
  /** Called after each batch (and once at the end). */
  onProgress?: (progress: AuditSeedProgress) => void;
}

export interface AuditSeedResult {
  rows: number;
  firstSeq: number;
  lastSeq: number;
  /** The chain's new head. */
  head: { seq: number; hash: string; at: Date };
  /** Partitions made to cover the range. */
  partitionsMade: number;
  method: "copy" | "insert";
  elapsedMs: number;
}

type ChainedRow = NewAuditRow & { seq: number; prev_hash: string; hash: string; at: Date };

const COLUMNS = ["seq", "at", "actor_type", "actor_id", "action", "target", "result", "reason", "ip", "user_agent", "request_id", "count", "environment", "prev_hash", "hash"] as const;
const DAY_MS = 86_400_000;

/** Writes chained batches inside the seeding transaction. */
interface BatchLoader {
  write(rows: ChainedRow[]): Promise<void>;
  finish(): Promise<void>;
}

function checkOptions(options: AuditSeedOptions): { batchSize: number; periodDays: number } {
  const fail = (what: string) => {
    throw new RangeError(`seedAuditLog: ${what}`);
  };
  if (!Number.isSafeInteger(options.rows) || options.rows < 1) fail(`rows must be a positive integer, got ${String(options.rows)}`);
  if (!(options.from instanceof Date) || Number.isNaN(options.from.getTime())) fail("from must be a valid Date");
  if (!(options.to instanceof Date) || Number.isNaN(options.to.getTime())) fail("to must be a valid Date");
  if (options.to.getTime() <= options.from.getTime()) fail(`to (${options.to.toISOString()}) must be after from (${options.from.toISOString()})`);
  if (!(options.auditKey instanceof Uint8Array) || options.auditKey.length < 16) fail("auditKey must be a key of at least 16 bytes");
  const batchSize = options.batchSize ?? 20_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) fail(`batchSize must be a positive integer, got ${String(batchSize)}`);
  const periodDays = options.periodDays ?? 7;
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > 31) fail(`periodDays must be 1 to 31, got ${String(periodDays)}`);
  return { batchSize, periodDays };
}

/** COPY's text format: tab-separated, \N for null, backslash escapes (tested before replacing: most fields need none). */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const copyField = (v: unknown): string => {
  if (v === null || v === undefined) return "\\N";
  const text = String(v);
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
};

function copyLines(rows: ChainedRow[]): string {
  let out = "";
  for (const r of rows) {
    out += `${r.seq}\t${r.at.toISOString()}\t${copyField(r.actor_type)}\t${copyField(r.actor_id)}\t${copyField(r.action)}\t${copyField(r.target)}\t${copyField(r.result)}\t${copyField(r.reason)}\t${copyField(r.ip)}\t${copyField(r.user_agent)}\t${copyField(r.request_id)}\t${copyField(r.count)}\t${copyField(r.environment)}\t${r.prev_hash}\t${r.hash}\n`;
  }
  return out;
}

async function copyLoader(client: pg.Client): Promise<BatchLoader> {
  // Loaded here, not at the top: the testing entry works without the optional dependency until COPY is asked for.
  let copyFrom: typeof import("pg-copy-streams").from;
  try {
    ({ from: copyFrom } = await import("pg-copy-streams"));
  } catch (cause) {
    throw new Error("seedAuditLog: seeding through a URL uses COPY, which needs pg-copy-streams (an optional peer dependency of @keyward/db); install it, or pass a Kysely instance to seed with INSERTs", { cause });
  }
  const stream = client.query(copyFrom(`copy audit_log (${COLUMNS.join(", ")}) from stdin`));
  let failed: Error | undefined;
  stream.on("error", (e: Error) => (failed ??= e));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  done.catch(() => {}); // observed through `failed` and finish()
  return {
    async write(rows) {
      if (failed) throw failed;
      // The next batch is hashed while this one drains.
      if (!stream.write(copyLines(rows))) await Promise.race([once(stream, "drain"), done]);
      if (failed) throw failed;
    },
    async finish() {
      stream.end();
      await done;
    },
  };
}

function insertLoader(db: Kysely<Database>): BatchLoader {
  return {
    async write(rows) {
      const col = <K extends (typeof COLUMNS)[number]>(k: K) => rows.map((r) => (k === "at" ? r.at.toISOString() : (r[k as keyof ChainedRow] ?? null)));
      await sql`insert into audit_log (${sql.raw(COLUMNS.join(", "))})
        select * from unnest(${col("seq")}::bigint[], ${col("at")}::timestamptz[], ${col("actor_type")}::text[], ${col("actor_id")}::text[], ${col("action")}::text[],
          ${col("target")}::text[], ${col("result")}::text[], ${col("reason")}::text[], ${col("ip")}::text[], ${col("user_agent")}::text[], ${col("request_id")}::text[],
          ${col("count")}::integer[], ${col("environment")}::text[], ${col("prev_hash")}::text[], ${col("hash")}::text[])`.execute(db);
    },
    async finish() {},
  };
}

/** Seeds inside an open transaction on `db` (statements) and `loader` (rows). */
async function seedIn(db: Kysely<Database>, loader: () => Promise<BatchLoader>, options: AuditSeedOptions, method: AuditSeedResult["method"]): Promise<AuditSeedResult> {
  const { batchSize, periodDays } = checkOptions(options);
  const started = performance.now();
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
  const head = await readAuditHead(db);
  const from = options.from.getTime();
  const to = options.to.getTime();
  if (head.at !== null && from < head.at) {
    throw new RangeError(`seedAuditLog: from (${options.from.toISOString()}) is before the newest audit row (${new Date(head.at).toISOString()}); audit times never go back along the chain`);
  }
  const total = options.rows;
  const atOf = (i: number) => new Date(from + Math.floor((i * (to - from)) / total));
  const lastAt = atOf(total - 1);

  // A period at a time, so the range gets regular partitions rather than one spanning it.
  let partitionsMade = 0;
  for (let t = from; t < lastAt.getTime(); t += periodDays * DAY_MS) partitionsMade += await ensureAuditPartitions(db, { until: new Date(t), periodDays });
  partitionsMade += await ensureAuditPartitions(db, { until: lastAt, periodDays });

  const source = options.rowSource ?? createAuditRowSource({ ...DEFAULT_AUDIT_SEED_POPULATION, ...options.population });
  const load = await loader();
  let seq = head.seq;
  let prev = head.hash;
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(total, start + batchSize);
    const batch: ChainedRow[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      const at = atOf(i);
      // The time is the seeder's, whatever a custom source returns: it keeps times non-decreasing.
      const row = { ...source(at), at };
      seq += 1;
      const hash = auditRowHash(options.auditKey, prev, seq, row);
      batch[i - start] = { ...row, seq, prev_hash: prev, hash };
      prev = hash;
    }
    await load.write(batch);
    const elapsedMs = performance.now() - started;
    if (end < total) options.onProgress?.({ rows: end, total, elapsedMs, rowsPerSec: (end / elapsedMs) * 1000 });
  }
  await load.finish();
  // The rows came with their own seqs: the next append's default must follow them.
  await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), ${seq})`.execute(db);
  const elapsedMs = performance.now() - started;
  options.onProgress?.({ rows: total, total, elapsedMs, rowsPerSec: (total / elapsedMs) * 1000 });
  return { rows: total, firstSeq: head.seq + 1, lastSeq: seq, head: { seq, hash: prev, at: lastAt }, partitionsMade, method, elapsedMs };
}

/** A Kysely whose every statement runs on `client` (so inside the transaction the caller opened on it). */
function kyselyOn(client: pg.Client): Kysely<Database> {
  const connection = { query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args), release: () => {} };
  const pool = { connect: async () => connection, end: async () => {} };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as PostgresPool }) });
}

/**
 * Seeds `options.rows` chained audit rows, spread evenly over [from, to): through COPY when given a
 * PostgreSQL URL, through INSERTs when given a Kysely. One transaction: all the rows, or none.
 */
export async function seedAuditLog(target: Kysely<Database> | string, options: AuditSeedOptions): Promise<AuditSeedResult> {
  checkOptions(options);
  if (typeof target !== "string") {
    return target.transaction().execute((trx) => seedIn(trx, async () => insertLoader(trx), options, "insert"));
  }
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const db = kyselyOn(client);
  try {
    await client.query("begin");
    try {
      const result = await seedIn(db, () => copyLoader(client), options, "copy");
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    }
  } finally {
    await db.destroy();
    await client.end();
  }
}
