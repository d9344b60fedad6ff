import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** Looks a token up by its SHA-256 hash (a unique index); callers still compare in constant time. */
export async function getServiceTokenByHash(db: Kysely<Database>, tokenHash: string): Promise<ServiceToken | undefined> {
  return db.selectFrom("service_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}
