import type { Kysely } from "kysely";
import type { AccessRequest, Database } from "../../schema.js";

/** The (secret, service) access request, if one was ever recorded. */
export async function getAccessRequest(db: Kysely<Database>, input: { secretName: string; serviceName: string }): Promise<AccessRequest | undefined> {
  return db.selectFrom("access_requests").selectAll().where("secret_name", "=", input.secretName).where("service_name", "=", input.serviceName).executeTakeFirst();
}
