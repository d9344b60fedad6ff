import type { AccessStatus, Database } from "@keyward/db";
import type { Kysely } from "kysely";

/** The (secret, service) access request's status, without creating one (WatchSecrets filtering). */
export async function getAccessStatus(db: Kysely<Database>, secretName: string, serviceName: string): Promise<AccessStatus | undefined> {
  const row = await db.selectFrom("access_requests").select("status").where("secret_name", "=", secretName).where("service_name", "=", serviceName).executeTakeFirst();
  return row?.status;
}
