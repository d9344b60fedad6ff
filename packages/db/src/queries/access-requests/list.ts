import type { Kysely } from "kysely";
import type { AccessRequest, AccessStatus, Database } from "../../schema.js";

export async function listAccessRequests(
  db: Kysely<Database>,
  options: { status?: AccessStatus; serviceName?: string; secretName?: string; limit?: number } = {},
): Promise<AccessRequest[]> {
  let q = db.selectFrom("access_requests").selectAll().orderBy("requested_at", "desc").orderBy("id").limit(Math.min(options.limit ?? 100, 500));
  if (options.status) q = q.where("status", "=", options.status);
  if (options.serviceName) q = q.where("service_name", "=", options.serviceName);
  if (options.secretName) q = q.where("secret_name", "=", options.secretName);
  return q.execute();
}
