import type { Kysely, Transaction } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";

/**
 * Moves every channel's credential data key to the active KEK (the credentials' ciphertext is
 * untouched), inside the caller's transaction: `keys rewrap` does this with the values' data keys,
 * so retiring a KEK never strands a channel's credentials. Returns how many moved.
 */
export async function rewrapChannelCredentials(trx: Transaction<Database>, envelope: Envelope): Promise<number> {
  const rows = await trx
    .selectFrom("channels")
    .select(["id", "credentials_version", "credentials_wrapped_key", "credentials_key_id"])
    .where("credentials_key_id", "!=", envelope.activeKeyId)
    .orderBy("id")
    .forUpdate()
    .execute();
  for (const row of rows) {
    const next = envelope.rewrap({ wrappedKey: Buffer.from(row.credentials_wrapped_key), keyId: row.credentials_key_id }, row.id, row.credentials_version);
    await trx.updateTable("channels").set({ credentials_wrapped_key: next.wrappedKey, credentials_key_id: next.keyId }).where("id", "=", row.id).where("credentials_key_id", "=", row.credentials_key_id).execute();
  }
  return rows.length;
}

/** Channels whose credentials are wrapped by `keyId` (`not: true`: by any other KEK). */
export async function countChannelsWrappedBy(db: Kysely<Database>, keyId: string, options: { not?: boolean } = {}): Promise<number> {
  const row = await db
    .selectFrom("channels")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("credentials_key_id", options.not ? "!=" : "=", keyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
