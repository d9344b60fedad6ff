import type { Kysely } from "kysely";
import type { AccessRequest, Database } from "../../schema.js";

/** The (secret, service, environment) access request, if one was ever recorded. */
export async function getAccessRequest(db: Kysely<Database>, input: { environmentId: string; secretName: string; serviceName: string }): Promise<AccessRequest | undefined> {
  return db
    .selectFrom("access_requests")
    .selectAll()
    .where("secret_name", "=", input.secretName)
    .where("service_name", "=", input.serviceName)
    .where("environment_id", "=", input.environmentId)
    .executeTakeFirst();
}
