import type { Kysely } from "kysely";
import type { Database, ServiceToken, TokenStatus } from "../../schema.js";

/** Newest first, keyset-paginated on (requested_at, id). Token hashes are not returned. */
export async function listServiceTokens(
  db: Kysely<Database>,
  options: { status?: TokenStatus; limit?: number } = {},
): Promise<Omit<ServiceToken, "token_hash">[]> {
  let q = db
    .selectFrom("service_tokens")
    .select(["id", "service_name", "service_version", "status", "requested_at", "approved_at", "approved_by", "last_used_at", "access_count", "expires_at"])
    .orderBy("requested_at", "desc")
    .orderBy("id")
    .limit(Math.min(options.limit ?? 100, 500));
  if (options.status) q = q.where("status", "=", options.status);
  return q.execute();
}
