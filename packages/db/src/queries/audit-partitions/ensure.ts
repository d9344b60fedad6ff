import { sql, type Kysely } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database } from "../../schema.js";

/**
 * Creates audit_log partitions of `periodDays` days until one covers `until` (migration 0570's
 * keyward_audit_cover); returns how many it made. The scheduler keeps a period or two ahead, so an
 * append never has to create one itself.
 */
export async function ensureAuditPartitions(db: Kysely<Database>, options: { until: Date; periodDays: number }): Promise<number> {
  if (!Number.isInteger(options.periodDays) || options.periodDays < 1 || options.periodDays > 31) {
    throw new KeywardError("invalid_argument", `the audit partition period must be 1 to 31 days, got ${options.periodDays}`, { field: "periodDays" });
  }
  const { rows } = await sql<{ made: number }>`select keyward_audit_cover(${options.until.toISOString()}::timestamptz, make_interval(days => ${options.periodDays})) as made`.execute(db);
  return Number(rows[0]!.made);
}
