import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { environmentName, sameNameApproved, TOKEN_METADATA_COLUMNS, type ServiceTokenMetadata } from "./metadata.js";

/** One token's metadata by id in one environment, or undefined. Like the list, the token hash is never selected. */
export async function getServiceTokenById(db: Kysely<Database>, input: { environmentId: string; id: string }): Promise<ServiceTokenMetadata | undefined> {
  return db
    .selectFrom("service_tokens as t")
    .select(TOKEN_METADATA_COLUMNS)
    .select(sameNameApproved)
    .select(environmentName)
    .where("t.id", "=", input.id)
    .where("t.environment_id", "=", input.environmentId)
    .executeTakeFirst();
}
