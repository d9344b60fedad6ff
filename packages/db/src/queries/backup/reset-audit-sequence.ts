import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Moves audit_log's seq sequence past the highest seq (after rows were inserted with their own seqs). */
export async function resetAuditSequence(db: Kysely<Database>): Promise<void> {
  await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), coalesce((select max(seq) from audit_log), 0) + 1, false)`.execute(db);
}
