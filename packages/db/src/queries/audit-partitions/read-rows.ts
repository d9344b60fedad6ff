import { sql, type Kysely } from "kysely";
import type { AuditRow, Database } from "../../schema.js";

const toRow = (r: AuditRow): AuditRow => ({ ...r, seq: Number(r.seq), count: r.count === null ? null : Number(r.count) });

/** The first and last rows of one partition (null when it is empty), and how many it holds. */
export async function auditPartitionBounds(db: Kysely<Database>, name: string): Promise<{ rows: number; first: { seq: number; prevHash: string }; last: { seq: number; hash: string } } | null> {
  const table = sql.table(name);
  const { rows } = await sql<{ n: number | string; first_seq: number | string | null; first_prev: string | null; last_seq: number | string | null; last_hash: string | null }>`select
      (select count(*) from ${table}) as n,
      f.seq as first_seq, f.prev_hash as first_prev, l.seq as last_seq, l.hash as last_hash
    from (select 1) one
    left join lateral (select seq, prev_hash from ${table} order by seq limit 1) f on true
    left join lateral (select seq, hash from ${table} order by seq desc limit 1) l on true`.execute(db);
  const r = rows[0]!;
  if (r.first_seq === null) return null;
  return { rows: Number(r.n), first: { seq: Number(r.first_seq), prevHash: r.first_prev! }, last: { seq: Number(r.last_seq), hash: r.last_hash! } };
}

/** Streams one partition's rows in seq order, a page at a time, so a partition of millions of rows never sits in memory. */
export async function* readAuditPartitionRows(db: Kysely<Database>, name: string, pageSize = 5000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<AuditRow>`select * from ${sql.table(name)} where seq > ${after} order by seq limit ${pageSize}`.execute(db);
    for (const row of rows) yield toRow(row);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
