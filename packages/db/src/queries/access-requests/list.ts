import { sql, type Kysely } from "kysely";
import type { AccessRequest, AccessStatus, Database } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";

/** One environment's access requests, newest first, keyset-paginated on (requested_at, id). */
export async function listAccessRequests(
  db: Kysely<Database>,
  options: { environmentId: string; limit?: number; cursor?: string; status?: AccessStatus; serviceName?: string; secretName?: string },
): Promise<{ items: AccessRequest[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  let q = db.selectFrom("access_requests").selectAll().where("environment_id", "=", options.environmentId).orderBy("requested_at", "desc").orderBy("id", "desc").limit(limit + 1);
  if (options.cursor !== undefined) {
    const [at, id] = decodeCursor(options.cursor, ["timestamp", "id"] as const);
    q = q.where(sql<boolean>`(requested_at, id) < (${at}::timestamptz, ${id})`);
  }
  if (options.status) q = q.where("status", "=", options.status);
  if (options.serviceName) q = q.where("service_name", "=", options.serviceName);
  if (options.secretName) q = q.where("secret_name", "=", options.secretName);
  return toPage(await q.execute(), limit, (r) => [new Date(r.requested_at).toISOString(), r.id]);
}
