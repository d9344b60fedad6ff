import { sql, type Kysely } from "kysely";
import type { Database, TokenStatus } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";
import { environmentName, sameNameApproved, TOKEN_METADATA_COLUMNS, type ServiceTokenMetadata } from "./metadata.js";

/** One environment's tokens, newest first, keyset-paginated on (requested_at, id). Token hashes are never selected. */
export async function listServiceTokens(
  db: Kysely<Database>,
  options: { environmentId: string; limit?: number; cursor?: string; status?: TokenStatus; serviceName?: string },
): Promise<{ items: ServiceTokenMetadata[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = db
    .selectFrom("service_tokens as t")
    .select(TOKEN_METADATA_COLUMNS)
    .select(sameNameApproved)
    .select(environmentName)
    .where("t.environment_id", "=", options.environmentId)
    .orderBy("t.requested_at", "desc")
    .orderBy("t.id", "desc")
    .limit(limit + 1);
  if (options.cursor !== undefined) {
    const [at, id] = decodeCursor(options.cursor, ["timestamp", "id"] as const);
    q = q.where(sql<boolean>`(t.requested_at, t.id) < (${at}::timestamptz, ${id})`);
  }
  if (options.status) q = q.where("t.status", "=", options.status);
  if (options.serviceName) q = q.where("t.service_name", "=", options.serviceName);
  return toPage(await q.execute(), limit, (r) => [new Date(r.requested_at).toISOString(), r.id]);
}
