import { sql, type Kysely } from "kysely";
import type { Database, ServiceToken, TokenStatus } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";

/** Newest first, keyset-paginated on (requested_at, id). Token hashes are never selected. */
export async function listServiceTokens(
  db: Kysely<Database>,
  options: { limit?: number; cursor?: string; status?: TokenStatus; serviceName?: string } = {},
): Promise<{ items: Omit<ServiceToken, "token_hash">[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = db
    .selectFrom("service_tokens")
    .select(["id", "service_name", "service_version", "status", "requested_at", "approved_at", "approved_by", "last_used_at", "access_count", "expires_at"])
    .orderBy("requested_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1);
  if (options.cursor !== undefined) {
    const [at, id] = decodeCursor(options.cursor, ["string", "string"] as const);
    q = q.where(sql<boolean>`(requested_at, id) < (${at}::timestamptz, ${id})`);
  }
  if (options.status) q = q.where("status", "=", options.status);
  if (options.serviceName) q = q.where("service_name", "=", options.serviceName);
  return toPage(await q.execute(), limit, (r) => [new Date(r.requested_at).toISOString(), r.id]);
}
