import type { Kysely } from "kysely";
import type { AdminApiKey, Database } from "../../schema.js";

/** An active (not revoked) admin key by its hash. */
export async function getAdminKeyByHash(db: Kysely<Database>, keyHash: string): Promise<AdminApiKey | undefined> {
  return db.selectFrom("admin_api_keys").selectAll().where("key_hash", "=", keyHash).where("revoked_at", "is", null).executeTakeFirst();
}
