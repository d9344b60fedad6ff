import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AdminApiKey, AdminRole, Database } from "../../schema.js";

export async function createAdminKey(
  db: Kysely<Database>,
  input: { name: string; role: AdminRole; keyHash: string; actor: string; at: Date; environments?: string[]; owner?: string },
): Promise<AdminApiKey> {
  return db
    .insertInto("admin_api_keys")
    .values({ id: randomUUID(), name: input.name, role: input.role, key_hash: input.keyHash, created_at: input.at, created_by: input.actor, environments: input.environments ?? null, owner: input.owner ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}
