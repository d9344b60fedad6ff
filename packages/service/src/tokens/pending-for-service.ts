import type { Database } from "@keyward/db";
import type { Kysely } from "kysely";

/** Ids of a service's pending tokens, oldest first (no hashes leave the database). */
export async function pendingTokenIdsForService(db: Kysely<Database>, serviceName: string): Promise<string[]> {
  const rows = await db.selectFrom("service_tokens").select("id").where("service_name", "=", serviceName).where("status", "=", "pending").orderBy("requested_at").execute();
  return rows.map((r) => r.id);
}
