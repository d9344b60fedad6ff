import type { AccessStatus, Database } from "@keyward/db";
import type { Kysely } from "kysely";

/** The (secret, service, environment) access request's status, without creating one (WatchSecrets filtering). */
export async function getAccessStatus(db: Kysely<Database>, input: { environmentId: string; secretName: string; serviceName: string }): Promise<AccessStatus | undefined> {
  const row = await db
    .selectFrom("access_requests")
    .select("status")
    .where("secret_name", "=", input.secretName)
    .where("service_name", "=", input.serviceName)
    .where("environment_id", "=", input.environmentId)
    .executeTakeFirst();
  return row?.status;
}
