import { CompiledQuery, type Kysely, type Selectable } from "kysely";
import type { AuditLogTable, Database, NewAuditRow } from "../../schema.js";
import { PREPARED } from "../../prepared.js";
import { appendAuditRowsIn } from "./append.js";
import { newestArchiveEnd } from "./archived-end.js";
import { auditRowHash, GENESIS_HASH } from "./chain.js";

/** The last committed row of the chain, as far as one writer knows. */
export interface AuditTail {
  seq: number;
  hash: string;
  /** The last row's time (ms); rows chained after it are never stamped earlier. Null before the first row. */
  at: number | null;
}

/**
 * A row's time, never before `notBefore`: rows are chained in commit order, which can differ from the
 * order their events were stamped (two requests, or two replicas' clocks), by a few milliseconds.
 * Keeping `at` in seq order keeps each time partition of audit_log one contiguous run of seqs.
 */
export function clampAt(at: Date | string, notBefore: number | null): Date {
  const ms = at instanceof Date ? at.getTime() : new Date(at).getTime();
  return new Date(notBefore !== null && ms < notBefore ? notBefore : ms);
}

/** A timestamptz as read back, in whole milliseconds rounded up (so a clamped row is never before it). */
export function headAt(value: Date | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  // PostgreSQL's text form may carry microseconds; round up to the next millisecond.
  const micro = /\.(\d{4,6})/.exec(value);
  const ms = new Date(value).getTime();
  return micro && Number(micro[1]!.padEnd(6, "0").slice(3)) > 0 ? ms + 1 : ms;
}

/** How often a batch is re-chained after another writer moved the head, before the locked path. */
const MAX_RECHAINS = 5;

/** The append statement: fixed text, prepared once per connection (see PREPARED). */
const APPEND_ROWS = `${PREPARED} select * from keyward_audit_append_rows($1, $2, $3::jsonb)`;

/**
 * Offers `rows`, chained after `tail`, to keyward_audit_append_rows (migration 0600): ONE statement
 * that takes the audit lock and inserts only if `tail` is still the chain's head. The rows travel as
 * one JSON array (JSON.stringify is native; fifteen array parameters were a tenth of what a GetSecret
 * call allocated), and the statement is sent as compiled text, with no query builder on this path.
 * Returns the new head, or the real head when `tail` was stale.
 */
export async function appendAuditAfter(db: Kysely<Database>, key: Uint8Array, tail: AuditTail, rows: readonly NewAuditRow[]): Promise<{ appended: boolean; head: AuditTail }> {
  const n = rows.length;
  const chained = new Array<ChainedRow>(n);
  let seq = tail.seq;
  let prev = tail.hash;
  let at = tail.at;
  for (let i = 0; i < n; i++) {
    const given = rows[i]!;
    seq += 1;
    const row: ChainedRow = {
      seq,
      // Never before the previous row; JSON.stringify writes it as toISOString, the instant the hash covers.
      at: clampAt(given.at, at),
      actor_type: given.actor_type,
      actor_id: given.actor_id,
      action: given.action,
      target: given.target,
      result: given.result,
      reason: given.reason ?? null,
      ip: given.ip ?? null,
      user_agent: given.user_agent ?? null,
      request_id: given.request_id ?? null,
      count: given.count ?? null,
      environment: given.environment ?? null,
      prev_hash: prev,
      hash: "",
    };
    at = row.at.getTime();
    row.hash = auditRowHash(key, prev, seq, row);
    chained[i] = row;
    prev = row.hash;
  }
  const { rows: out } = await db.executeQuery<AppendResult>(CompiledQuery.raw(APPEND_ROWS, [tail.seq, tail.hash, JSON.stringify(chained)]));
  const r = out[0]!;
  return { appended: r.appended, head: { seq: Number(r.head_seq), hash: r.head_hash, at: headAt(r.head_at) } };
}

/** One row as keyward_audit_append_rows reads it: audit_log's columns by name (`at` goes out as ISO text). */
type ChainedRow = Selectable<AuditLogTable>;

type AppendResult = { appended: boolean; head_seq: number | string; head_hash: string; head_at: Date | string | null };

/** The chain's head as committed now (a plain read: a hint that appendAuditAfter re-checks under the lock). */
export async function readAuditHead(db: Kysely<Database>): Promise<AuditTail> {
  // Ordered by the partition key first, so PostgreSQL reads the newest partition and stops.
  const last = await db.selectFrom("audit_log").select(["seq", "hash", "at"]).orderBy("at", "desc").orderBy("seq", "desc").limit(1).executeTakeFirst();
  if (last) return { seq: Number(last.seq), hash: last.hash, at: headAt(last.at) };
  // Every row archived and dropped (issue #21): the chain goes on from the newest archive's end.
  const archived = await newestArchiveEnd(db);
  return { ...(archived ?? { seq: 0, hash: GENESIS_HASH }), at: null };
}

/**
 * Commits `rows` as one chained batch and returns the new tail. With a known, current `tail` this is
 * one statement; when another writer (another replica, or a change that audits in its own
 * transaction) appended meanwhile, the batch is re-chained after the head it reports, and after a
 * few lost races the locked transaction (lock, read the head, insert) settles it. Nothing collides,
 * so PostgreSQL logs no error either way.
 */
export async function appendAuditBatch(db: Kysely<Database>, key: Uint8Array, tail: AuditTail | undefined, rows: readonly NewAuditRow[]): Promise<AuditTail | undefined> {
  if (rows.length === 0) return tail;
  let head = tail ?? (await readAuditHead(db));
  for (let attempt = 0; attempt < MAX_RECHAINS; attempt++) {
    const result = await appendAuditAfter(db, key, head, rows);
    if (result.appended) return result.head;
    head = result.head;
  }
  return db.transaction().execute(async (trx) => {
    await appendAuditRowsIn(trx, key, rows);
    return readAuditHead(trx);
  });
}
