import type { Kysely } from "kysely";
import type { Database, ServiceToken } from "../../schema.js";

/** A token with the name of the environment it is bound to (audit rows and notifications carry the name). */
export type BoundServiceToken = ServiceToken & { environment: string };

/**
 * Looks a token up by its SHA-256 hash (a unique index), with its environment: a token is bound to
 * one for life, so the token says which environment a call is in. Callers still compare in constant time.
 */
export async function getServiceTokenByHash(db: Kysely<Database>, tokenHash: string): Promise<BoundServiceToken | undefined> {
  return db
    .selectFrom("service_tokens as t")
    .innerJoin("environments as e", "e.id", "t.environment_id")
    .selectAll("t")
    .select("e.name as environment")
    .where("t.token_hash", "=", tokenHash)
    .executeTakeFirst();
}
