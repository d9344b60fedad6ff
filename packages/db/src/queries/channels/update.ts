import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";
import { CHANNEL_CREDENTIALS, PUBLIC_CHANNEL_COLUMNS, type PublicChannel } from "./create.js";

/**
 * Changes a channel: enabled, its settings, or its credentials, which are replaced whole and sealed
 * under the next credentials version (the old ciphertext is overwritten in the same update).
 * Undefined when no channel has that name. Call inside an audited transaction.
 */
export async function updateChannel(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { name: string; enabled?: boolean; config?: Record<string, unknown>; credentials?: Record<string, string> },
): Promise<PublicChannel | undefined> {
  const row = await db.selectFrom("channels").select(["id", "credentials_version"]).where("name", "=", input.name).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const version = row.credentials_version + 1;
  const sealed = input.credentials ? envelope.seal(JSON.stringify(input.credentials), row.id, version, CHANNEL_CREDENTIALS) : undefined;
  return db
    .updateTable("channels")
    .set({
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(input.config !== undefined ? { config: JSON.stringify(input.config) } : {}),
      ...(sealed ? { credentials_ciphertext: sealed.ciphertext, credentials_wrapped_key: sealed.wrappedKey, credentials_key_id: sealed.keyId, credentials_version: version } : {}),
    })
    .where("id", "=", row.id)
    .returning(PUBLIC_CHANNEL_COLUMNS)
    .executeTakeFirst();
}
