import type { Kysely, Transaction } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";

/**
 * Moves the data keys of values held by pending change requests to the active KEK (the ciphertext
 * is untouched), inside the caller's transaction, so retiring a KEK never strands a value waiting
 * for approval. Returns how many moved.
 */
export async function rewrapHeldValues(trx: Transaction<Database>, envelope: Envelope): Promise<number> {
  const rows = await trx
    .selectFrom("change_requests")
    .select(["id", "wrapped_key", "key_id"])
    .where("key_id", "is not", null)
    .where("key_id", "!=", envelope.activeKeyId)
    .orderBy("id")
    .forUpdate()
    .execute();
  for (const row of rows) {
    const next = envelope.rewrap({ wrappedKey: Buffer.from(row.wrapped_key!), keyId: row.key_id! }, row.id, 1);
    await trx.updateTable("change_requests").set({ wrapped_key: next.wrappedKey, key_id: next.keyId }).where("id", "=", row.id).where("key_id", "=", row.key_id).execute();
  }
  return rows.length;
}

/** Held values whose data key is wrapped by `keyId` (`not: true`: by any other KEK). */
export async function countHeldValuesWrappedBy(db: Kysely<Database>, keyId: string, options: { not?: boolean } = {}): Promise<number> {
  const row = await db
    .selectFrom("change_requests")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("key_id", "is not", null)
    .where("key_id", options.not ? "!=" : "=", keyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
