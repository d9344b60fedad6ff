import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { sameNameApproved, TOKEN_METADATA_COLUMNS, type ServiceTokenMetadata } from "./metadata.js";

/** One token's metadata by id, or undefined. Like the list, the token hash is never selected. */
export async function getServiceTokenById(db: Kysely<Database>, id: string): Promise<ServiceTokenMetadata | undefined> {
  return db
    .selectFrom("service_tokens as t")
    .select(TOKEN_METADATA_COLUMNS)
    .select(sameNameApproved)
    .where("t.id", "=", id)
    .executeTakeFirst();
}
