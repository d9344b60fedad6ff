import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { selectSecretsWithRotation, type SecretWithRotation } from "./rotation.js";

/** One secret's metadata with its last rotation time; never its value. */
export async function getSecretMetadata(db: Kysely<Database>, name: string): Promise<SecretWithRotation | undefined> {
  return (await selectSecretsWithRotation(db).where("secrets.name", "=", name).executeTakeFirst()) as SecretWithRotation | undefined;
}
