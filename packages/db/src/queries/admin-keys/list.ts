import type { Kysely } from "kysely";
import type { AdminApiKey, Database } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";

/** Oldest first, keyset-paginated on (created_at, id). Key hashes are never selected. */
export async function listAdminKeys(
  db: Kysely<Database>,
  options: { limit?: number; cursor?: string; includeRevoked?: boolean } = {},
): Promise<{ items: Omit<AdminApiKey, "key_hash">[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = db
    .selectFrom("admin_api_keys")
    .select(["id", "name", "role", "created_at", "created_by", "revoked_at", "last_used_at", "environments", "owner"])
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit + 1);
  if (options.cursor !== undefined) {
    const [at, id] = decodeCursor(options.cursor, ["timestamp", "id"] as const);
    q = q.where((eb) => eb.or([eb("created_at", ">", new Date(at)), eb.and([eb("created_at", "=", new Date(at)), eb("id", ">", id)])]));
  }
  if (!options.includeRevoked) q = q.where("revoked_at", "is", null);
  return toPage(await q.execute(), limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
}
