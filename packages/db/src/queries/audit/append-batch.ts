import { sql, type Kysely } from "kysely";
import type { Database, NewAuditRow } from "../../schema.js";
import { appendAuditRowsIn } from "./append.js";
import { auditRowHash, GENESIS_HASH } from "./chain.js";

/** The last committed row of the chain, as far as one writer knows. */
export interface AuditTail {
  seq: number;
  hash: string;
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
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    seq += 1;
    const hash = auditRowHash(key, prev, seq, row);
    cols.seq[i] = seq;
    // The same instant the hash covers (auditRowHash reads `at` through toISOString too).
    cols.at[i] = row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString();
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
  const { rows: out } = await sql<{ appended: boolean; head_seq: number | string; head_hash: string }>`select * from keyward_audit_append_after(${tail.seq}, ${tail.hash},
      ${cols.seq}::bigint[], ${cols.at}::timestamptz[], ${cols.actorType}::text[], ${cols.actorId}::text[], ${cols.action}::text[], ${cols.target}::text[],
      ${cols.result}::text[], ${cols.reason}::text[], ${cols.ip}::text[], ${cols.userAgent}::text[], ${cols.requestId}::text[], ${cols.count}::integer[], ${cols.environment}::text[], ${cols.prevHash}::text[], ${cols.hash}::text[])`.execute(db);
  const r = out[0]!;
  return { appended: r.appended, head: { seq: Number(r.head_seq), hash: r.head_hash } };
}

/** The chain's head as committed now (a plain read: a hint that appendAuditAfter re-checks under the lock). */
export async function readAuditHead(db: Kysely<Database>): Promise<AuditTail> {
  const last = await db.selectFrom("audit_log").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
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
    const seqs = await appendAuditRowsIn(trx, key, rows);
    const last = await trx.selectFrom("audit_log").select(["seq", "hash"]).where("seq", "=", seqs[seqs.length - 1]!).executeTakeFirstOrThrow();
    return { seq: Number(last.seq), hash: last.hash };
  });
}
