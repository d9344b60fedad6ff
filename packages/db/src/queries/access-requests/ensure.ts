import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AccessRequest, Database } from "../../schema.js";

/** Returns the (secret, service, environment) request, creating it as pending once; the unique key stops duplicates. */
export async function ensureAccessRequest(
  db: Kysely<Database>,
  input: { environmentId: string; secretName: string; serviceName: string; at: Date },
): Promise<{ request: AccessRequest; created: boolean }> {
  const inserted = await db
    .insertInto("access_requests")
    .values({ id: randomUUID(), secret_name: input.secretName, service_name: input.serviceName, environment_id: input.environmentId, status: "pending", requested_at: input.at })
    .onConflict((oc) => oc.columns(["secret_name", "service_name", "environment_id"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { request: inserted, created: true };
  const request = await db
    .selectFrom("access_requests")
    .selectAll()
    .where("secret_name", "=", input.secretName)
    .where("service_name", "=", input.serviceName)
    .where("environment_id", "=", input.environmentId)
    .executeTakeFirstOrThrow();
  return { request, created: false };
}
