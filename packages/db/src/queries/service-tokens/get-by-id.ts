import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** One token's metadata by id, or undefined. Like the list, the token hash is never selected. */
export async function getServiceTokenById(db: Kysely<Database>, id: string): Promise<Omit<ServiceToken, "token_hash"> | undefined> {
  return db
    .selectFrom("service_tokens")
    .select(["id", "service_name", "service_version", "status", "requested_at", "approved_at", "approved_by", "last_used_at", "access_count", "expires_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}
