import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * A signing key in one environment: its secret row's status and versions with the key's algorithm;
 * undefined when the name is no signing key there. With `lock`, both rows stay locked until the
 * transaction ends, for a change that decides from what it read.
 */
export async function getSigningKey(db: Kysely<Database>, input: { environmentId: string; name: string }, options: { lock?: boolean } = {}) {
  const query = db
    .selectFrom("signing_keys as k")
    .innerJoin("secrets as s", "s.id", "k.secret_id")
    .select(["s.id", "s.name", "s.status", "s.current_version", "k.algorithm", "k.min_version", "k.created_at", "k.created_by"])
    .where("s.environment_id", "=", input.environmentId)
    .where("s.name", "=", input.name);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export type SigningKey = NonNullable<Awaited<ReturnType<typeof getSigningKey>>>;
