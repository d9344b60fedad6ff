import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** The number of rows in a table. */
export async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
