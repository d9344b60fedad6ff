import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { selectSecretsWithRotation, type SecretWithRotation } from "./rotation.js";

/** One secret's metadata in one environment with its last rotation time; never its value. */
export async function getSecretMetadata(db: Kysely<Database>, input: { environmentId: string; name: string }): Promise<SecretWithRotation | undefined> {
  return (await selectSecretsWithRotation(db, input.environmentId).where("secrets.name", "=", input.name).executeTakeFirst()) as SecretWithRotation | undefined;
}
