import { sql, type Kysely, type Selectable } from "kysely";
import type { AuditPartitionsTable, Database } from "../../schema.js";

export type AuditPartition = Selectable<AuditPartitionsTable>;

const normalize = (p: AuditPartition): AuditPartition => ({
  ...p,
  // pg returns bigint as text.
  first_seq: p.first_seq === null ? null : Number(p.first_seq),
  last_seq: p.last_seq === null ? null : Number(p.last_seq),
  row_count: p.row_count === null ? null : Number(p.row_count),
});

/** Every partition audit_log has had, oldest first: hot ones, and the archived ones with where their rows went. */
export async function listAuditPartitions(db: Kysely<Database>): Promise<AuditPartition[]> {
  const rows = await db.selectFrom("audit_partitions").selectAll().orderBy("ends_at").execute();
  return rows.map(normalize);
}

/** Hot partitions whose whole range ends at or before `before`, oldest first: the ones to archive. */
export async function expiredAuditPartitions(db: Kysely<Database>, before: Date): Promise<AuditPartition[]> {
  const rows = await db.selectFrom("audit_partitions").selectAll().where("state", "=", "hot").where("ends_at", "<=", before).orderBy("ends_at").execute();
  return rows.map(normalize);
}

/** How many partitions were archived or dropped: none on a fresh database, whose partitions are all hot. */
export async function countArchivedAuditPartitions(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("audit_partitions").select((eb) => eb.fn.countAll<number | string>().as("n")).where("state", "<>", "hot").executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The rows a hot partition holds now (a count of the partition itself: an admin command's, not a hot path's). */
export async function countHotPartitionRows(db: Kysely<Database>, name: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
