import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** The kept versions of a secret in one environment, newest first: metadata only, never ciphertext. */
export async function listSecretVersions(db: Kysely<Database>, input: { environmentId: string; name: string }) {
  return db
    .selectFrom("secret_versions")
    .innerJoin("secrets", "secrets.id", "secret_versions.secret_id")
    .select(["secret_versions.version", "secret_versions.key_id", "secret_versions.created_at", "secret_versions.created_by", "secret_versions.metadata_json"])
    .where("secrets.name", "=", input.name)
    .where("secrets.environment_id", "=", input.environmentId)
    .orderBy("secret_versions.version", "desc")
    .execute();
}
