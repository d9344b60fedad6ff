import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** How many of a service's access requests in one environment wait for an admin's decision. */
export async function countPendingAccessRequests(db: Kysely<Database>, input: { environmentId: string; serviceName: string }): Promise<number> {
  const row = await db
    .selectFrom("access_requests")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("service_name", "=", input.serviceName)
    .where("environment_id", "=", input.environmentId)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
