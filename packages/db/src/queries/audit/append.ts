import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, NewAuditRow } from "../../schema.js";
import { auditRowHash, GENESIS_HASH } from "./chain.js";

// One advisory lock orders appends across connections and replicas, so the chain never forks.
const AUDIT_LOCK = 0x6b657977; // "keyw"

async function appendIn(trx: Transaction<Database>, key: Uint8Array, row: NewAuditRow): Promise<number> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx.selectFrom("audit_log").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  await trx
    .insertInto("audit_log")
    .values({ ...row, seq, prev_hash: prevHash, hash: auditRowHash(key, prevHash, seq, row) })
    .execute();
  return seq;
}

/**
 * Appends one chained audit row. Pass a transaction to make the row part of a change;
 * either way the row is committed before this returns (or with the caller's transaction).
 */
export async function appendAudit(db: Kysely<Database> | Transaction<Database>, key: Uint8Array, row: NewAuditRow): Promise<number> {
  if (db.isTransaction) return appendIn(db as Transaction<Database>, key, row);
  return db.transaction().execute((trx) => appendIn(trx, key, row));
}
