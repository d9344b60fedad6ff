import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, NewAuditRow } from "../../schema.js";
import { auditRowHash } from "./chain.js";
import { clampAt, readAuditHead } from "./append-batch.js";

// One advisory lock orders appends across connections and replicas, so the chain never forks.
export const AUDIT_LOCK = 0x6b657977; // "keyw"

/** Chains `rows` after the current last row, inside `trx`; returns their seqs. */
export async function appendAuditRowsIn(trx: Transaction<Database>, key: Uint8Array, rows: readonly NewAuditRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await readAuditHead(trx);
  let seq = last.seq;
  let prevHash = last.hash;
  let at = last.at;
  const values = rows.map((given) => {
    const row = { ...given, at: clampAt(given.at, at) };
    at = row.at.getTime();
    seq += 1;
    const hash = auditRowHash(key, prevHash, seq, row);
    const value = { ...row, seq, prev_hash: prevHash, hash };
    prevHash = hash;
    return value;
  });
  // The partition for the last row's time exists before the insert needs it (migration 0570).
  await sql`select keyward_audit_cover(${values[values.length - 1]!.at.toISOString()}::timestamptz)`.execute(trx);
  await trx.insertInto("audit_log").values(values).execute();
  return values.map((v) => v.seq);
}

/**
 * Appends one chained audit row. Pass a transaction to make the row part of a change;
 * either way the row is committed before this returns (or with the caller's transaction).
 */
export async function appendAudit(db: Kysely<Database> | Transaction<Database>, key: Uint8Array, row: NewAuditRow): Promise<number> {
  const run = async (trx: Transaction<Database>) => (await appendAuditRowsIn(trx, key, [row]))[0]!;
  if (db.isTransaction) return run(db as Transaction<Database>);
  return db.transaction().execute(run);
}
