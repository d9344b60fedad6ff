import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

export interface TableColumn {
  name: string;
  /** The PostgreSQL type name, e.g. text, bytea, int8, timestamptz, jsonb, _text. */
  type: string;
}

/** A table's columns in their order, as the database (not the code) has them. */
export async function tableColumns(db: Kysely<Database>, table: string): Promise<TableColumn[]> {
  const { rows } = await sql<{ name: string; type: string }>`select column_name as name, udt_name as type from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return rows.map((r) => ({ name: r.name, type: r.type }));
}
