import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Counts a granted read in the database, like recordServiceTokenUse, so replicas stay correct. */
export async function recordAccessRequestUse(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable("access_requests").set({ access_count: sql`access_count + 1`, last_accessed_at: at }).where("id", "=", id).execute();
}
