import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Counts in the database, not in memory, so several replicas stay correct. `count` lets a caller add uses it batched. */
export async function recordServiceTokenUse(db: Kysely<Database>, id: string, at: Date, count = 1): Promise<void> {
  await db.updateTable("service_tokens").set({ last_used_at: at, access_count: sql`access_count + ${count}` }).where("id", "=", id).execute();
}
