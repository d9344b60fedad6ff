import { sql, type Kysely } from "kysely";
import type { Database, NewAuditRow } from "../../schema.js";
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

/**
 * Offers `rows`, chained after `tail`, to keyward_audit_append_after (migrations 0300, 0400): ONE
 * statement (the columns as arrays, fixed SQL text) that takes the audit lock, and inserts only if
 * `tail` is still the chain's head. Returns the new head, or the real head when `tail` was stale.
 */
export async function appendAuditAfter(db: Kysely<Database>, key: Uint8Array, tail: AuditTail, rows: readonly NewAuditRow[]): Promise<{ appended: boolean; head: AuditTail }> {
  const n = rows.length;
  const cols = { seq: new Array<number>(n), at: new Array<string>(n), actorType: new Array<string>(n), actorId: new Array<string>(n), action: new Array<string>(n), target: new Array<string>(n), result: new Array<string>(n), reason: new Array<string | null>(n), ip: new Array<string | null>(n), userAgent: new Array<string | null>(n), requestId: new Array<string | null>(n), count: new Array<number | null>(n), environment: new Array<string | null>(n), prevHash: new Array<string>(n), hash: new Array<string>(n) };
  let seq = tail.seq;
  let prev = tail.hash;
  let at = tail.at;
  for (let i = 0; i < n; i++) {
    const given = rows[i]!;
    const row = { ...given, at: clampAt(given.at, at) };
    at = row.at.getTime();
    seq += 1;
    const hash = auditRowHash(key, prev, seq, row);
    cols.seq[i] = seq;
    // The same instant the hash covers (auditRowHash reads `at` through toISOString too).
    cols.at[i] = row.at.toISOString();
    cols.actorType[i] = row.actor_type;
    cols.actorId[i] = row.actor_id;
    cols.action[i] = row.action;
    cols.target[i] = row.target;
    cols.result[i] = row.result;
    cols.reason[i] = row.reason ?? null;
    cols.ip[i] = row.ip ?? null;
    cols.userAgent[i] = row.user_agent ?? null;
    cols.requestId[i] = row.request_id ?? null;
    cols.count[i] = row.count ?? null;
    cols.environment[i] = row.environment ?? null;
    cols.prevHash[i] = prev;
    cols.hash[i] = hash;
    prev = hash;
  }
  const { rows: out } = await sql<{ appended: boolean; head_seq: number | string; head_hash: string; head_at: Date | string | null }>`${sql.raw(PREPARED)} select * from keyward_audit_append_after(${tail.seq}, ${tail.hash},
      ${cols.seq}::bigint[], ${cols.at}::timestamptz[], ${cols.actorType}::text[], ${cols.actorId}::text[], ${cols.action}::text[], ${cols.target}::text[],
      ${cols.result}::text[], ${cols.reason}::text[], ${cols.ip}::text[], ${cols.userAgent}::text[], ${cols.requestId}::text[], ${cols.count}::integer[], ${cols.environment}::text[], ${cols.prevHash}::text[], ${cols.hash}::text[])`.execute(db);
  const r = out[0]!;
  return { appended: r.appended, head: { seq: Number(r.head_seq), hash: r.head_hash, at: headAt(r.head_at) } };
}

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
