import type { Kysely } from "kysely";
import type { AuditRow, Database } from "../../schema.js";

/** Keyset-paginated by seq, oldest first. */
export async function listAudit(db: Kysely<Database>, options: { afterSeq?: number; limit?: number; action?: string } = {}): Promise<AuditRow[]> {
  let q = db.selectFrom("audit_log").selectAll().orderBy("seq").limit(Math.min(options.limit ?? 1000, 10_000));
  if (options.afterSeq !== undefined) q = q.where("seq", ">", options.afterSeq);
  if (options.action) q = q.where("action", "=", options.action);
  return q.execute();
}
