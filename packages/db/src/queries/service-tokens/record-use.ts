import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Counts in the database, not in memory, so several replicas stay correct. */
export async function recordServiceTokenUse(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable("service_tokens").set({ last_used_at: at, access_count: sql`access_count + 1` }).where("id", "=", id).execute();
}
