import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Turns a table's own triggers off or on (change notifications, change-request events). A restore
 * loads rows that already happened: they must not announce themselves or write outbox events. In
 * a transaction, so a failed restore leaves them as they were.
 */
export async function setUserTriggers(db: Kysely<Database>, table: string, enabled: boolean): Promise<void> {
  await sql`alter table ${sql.table(table)} ${enabled ? sql`enable` : sql`disable`} trigger user`.execute(db);
}
