import type { Kysely } from "kysely";
import type { AccessRequest, Database } from "../../schema.js";

/** A service's pending access requests in one environment (bounded by the per-service cap on pending requests), locked for the caller's transaction so a concurrent decision waits. */
export async function listPendingRequestsOfService(db: Kysely<Database>, input: { environmentId: string; serviceName: string }): Promise<AccessRequest[]> {
  return db
    .selectFrom("access_requests")
    .selectAll()
    .where("environment_id", "=", input.environmentId)
    .where("service_name", "=", input.serviceName)
    .where("status", "=", "pending")
    .orderBy("requested_at")
    .orderBy("id")
    .forUpdate()
    .execute();
}
