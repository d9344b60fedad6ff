import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { CHANGE_REQUEST_VALUE, toChangeRequest, type ChangeRequest } from "./public.js";

/**
 * Opens an approved set-value request's sealed value, for applying it in the approval's transaction
 * only: never log, return or store it anywhere but through `setSecretValue`.
 */
export async function openChangeRequestValue(db: Kysely<Database>, envelope: Envelope, id: string): Promise<string | undefined> {
  const row = await db.selectFrom("change_requests").select(["ciphertext", "wrapped_key", "key_id", "status"]).where("id", "=", id).executeTakeFirst();
  if (!row || row.status !== "approved" || !row.ciphertext || !row.wrapped_key || !row.key_id) return undefined;
  return envelope.open({ ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, id, 1, CHANGE_REQUEST_VALUE);
}

/** Marks an approved request applied and destroys its sealed value (it now lives as a version). */
export async function markChangeRequestApplied(db: Kysely<Database>, input: { id: string; at: Date }): Promise<ChangeRequest> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("change_requests")
      .set({ status: "applied", ciphertext: null, wrapped_key: null, key_id: null, decided_at: input.at })
      .where("id", "=", input.id)
      .where("status", "=", "approved")
      .returningAll()
      .executeTakeFirstOrThrow();
    return toChangeRequest(row);
  });
}
