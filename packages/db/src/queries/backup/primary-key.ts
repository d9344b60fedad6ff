import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** The columns of a table's primary key, in key order (what a backup pages and sorts by). */
export async function primaryKeyColumns(db: Kysely<Database>, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select a.attname as name
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
    where i.indrelid = ${sql.lit(`"${table}"`)}::regclass and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db);
  return rows.map((r) => r.name);
}
