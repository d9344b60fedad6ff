import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Up to `limit` rows after the key `after` (primary key order), each as PostgreSQL's own JSON of
 * the row: timestamps keep their microseconds and bytea comes as "\x…" hex, on pg and PGlite alike.
 */
export async function readRowsPage(db: Kysely<Database>, table: string, key: readonly string[], after: readonly unknown[] | undefined, limit: number): Promise<Record<string, unknown>[]> {
  const keyList = sql.join(key.map((k) => sql.ref(k)));
  const where = after ? sql`where (${keyList}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
  const { rows } = await sql<{ row: Record<string, unknown> | string }>`select to_jsonb(t) as row from ${sql.table(table)} t ${where} order by ${keyList} limit ${limit}`.execute(db);
  return rows.map((r) => (typeof r.row === "string" ? (JSON.parse(r.row) as Record<string, unknown>) : r.row));
}
