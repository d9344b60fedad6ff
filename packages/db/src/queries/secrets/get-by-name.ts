import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";
import { selectSecrets } from "./select-secret.js";

/** A secret in one environment, with its definition; undefined when it is missing there. */
export async function getSecretByName(db: Kysely<Database>, input: { environmentId: string; name: string }): Promise<Secret | undefined> {
  return selectSecrets(db).where("secrets.environment_id", "=", input.environmentId).where("secrets.name", "=", input.name).executeTakeFirst();
}
