import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Inserts rows given as PostgreSQL's JSON of a row (readRowsPage's form) with their stored values,
 * every column as given: PostgreSQL converts them back to the column types itself.
 */
export async function insertRows(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${list}) select ${list} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(db);
}
