import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** The names of the migrations applied to this database, in order. */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from keyward_migrations order by name`.execute(db);
  return rows.map((r) => r.name);
}
