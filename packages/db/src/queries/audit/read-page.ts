import type { Kysely } from "kysely";
import type { AuditRow, Database } from "../../schema.js";

/** Rows after `afterSeq`, oldest first, unfiltered: what chain checks and exports walk through. */
export async function readAuditPage(db: Kysely<Database>, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom("audit_log").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit).execute();
}
