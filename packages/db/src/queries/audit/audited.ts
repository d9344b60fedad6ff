import type { Kysely, Transaction } from "kysely";
import type { Database, NewAuditRow } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { appendAuditRowsIn } from "./append.js";

/** Queues an audit row for the transaction it was handed with: written just before commit. */
export type AuditSink = (row: NewAuditRow) => void;

/**
 * Runs a change and the audit rows it queues in ONE transaction, so both commit or neither does:
 * a crash between a change and its row cannot leave a change the log never mentions. The rows are
 * chained last, so the audit lock is held only for the insert and the commit (and always taken
 * after the change's row locks, which keeps lock order fixed and deadlock-free).
 */
export function inAuditedTransaction<T>(db: Kysely<Database>, auditKey: Uint8Array, change: (trx: Transaction<Database>, audit: AuditSink) => Promise<T>): Promise<T> {
  return inTransaction(db, async (trx) => {
    const rows: NewAuditRow[] = [];
    const result = await change(trx, (row) => void rows.push(row));
    await appendAuditRowsIn(trx, auditKey, rows);
    return result;
  });
}
