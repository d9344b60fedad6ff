import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Counts a granted read in the database, like recordServiceTokenUse, so replicas stay correct. `count` lets a caller add uses it batched. */
export async function recordAccessRequestUse(db: Kysely<Database>, id: string, at: Date, count = 1): Promise<void> {
  await db.updateTable("access_requests").set({ access_count: sql`access_count + ${count}`, last_accessed_at: at }).where("id", "=", id).execute();
}
