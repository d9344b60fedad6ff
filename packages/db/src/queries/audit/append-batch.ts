import { sql, type Kysely } from "kysely";
import type { Database, NewAuditRow } from "../../schema.js";
import { AUDIT_LOCK, appendAuditRowsIn } from "./append.js";
import { auditRowHash } from "./chain.js";

/** The last committed row of the chain, as far as one writer knows. */
export interface AuditTail {
  seq: number;
  hash: string;
}

const isSeqConflict = (error: unknown) => typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";

/**
 * Appends `rows` after `tail` in ONE autocommitted statement (one round trip, fixed SQL text, the
 * columns as arrays): the fast path of group commit. It is safe across replicas because seq is
 * the primary key: if anyone appended after `tail`, the insert fails on seq N+1 and nothing is
 * written. The statement also takes the audit advisory lock, so locked appenders (appendAudit)
 * wait for it and then read it as the last row instead of colliding with it.
 * Returns the new tail, or undefined when the tail was stale.
 */
async function appendAfter(db: Kysely<Database>, key: Uint8Array, tail: AuditTail, rows: readonly NewAuditRow[]): Promise<AuditTail | undefined> {
  const n = rows.length;
  const cols = { seq: new Array<number>(n), at: new Array<string>(n), actorType: new Array<string>(n), actorId: new Array<string>(n), action: new Array<string>(n), target: new Array<string>(n), result: new Array<string>(n), reason: new Array<string | null>(n), ip: new Array<string | null>(n), userAgent: new Array<string | null>(n), requestId: new Array<string | null>(n), prevHash: new Array<string>(n), hash: new Array<string>(n) };
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
    cols.prevHash[i] = prev;
    cols.hash[i] = hash;
    prev = hash;
  }
  try {
    await sql`with audit_lock as (select pg_advisory_xact_lock(${AUDIT_LOCK}))
      insert into audit_log (seq, at, actor_type, actor_id, action, target, result, reason, ip, user_agent, request_id, prev_hash, hash)
      select r.* from audit_lock, unnest(${cols.seq}::bigint[], ${cols.at}::timestamptz[], ${cols.actorType}::text[], ${cols.actorId}::text[], ${cols.action}::text[],
        ${cols.target}::text[], ${cols.result}::text[], ${cols.reason}::text[], ${cols.ip}::text[], ${cols.userAgent}::text[], ${cols.requestId}::text[],
        ${cols.prevHash}::text[], ${cols.hash}::text[]) as r`.execute(db);
  } catch (error) {
    if (isSeqConflict(error)) return undefined;
    throw error;
  }
  return { seq, hash: prev };
}

/**
 * Commits `rows` as one chained batch and returns the new tail. With a known `tail` this is one
 * statement; without one, or when another writer appended meanwhile, it falls back to the locked
 * transaction (lock, read the last row, insert), which also learns the tail for next time.
 */
export async function appendAuditBatch(db: Kysely<Database>, key: Uint8Array, tail: AuditTail | undefined, rows: readonly NewAuditRow[]): Promise<AuditTail | undefined> {
  if (rows.length === 0) return tail;
  if (tail) {
    const next = await appendAfter(db, key, tail, rows);
    if (next) return next;
  }
  return db.transaction().execute(async (trx) => {
    const seqs = await appendAuditRowsIn(trx, key, rows);
    const last = await trx.selectFrom("audit_log").select(["seq", "hash"]).where("seq", "=", seqs[seqs.length - 1]!).executeTakeFirstOrThrow();
    return { seq: Number(last.seq), hash: last.hash };
  });
}
