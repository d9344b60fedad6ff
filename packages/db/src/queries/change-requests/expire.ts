import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { toChangeRequest, type ChangeRequest } from "./public.js";

/**
 * Marks pending requests past their `expires_at` (all, or the one `id`) expired and destroys their
 * sealed values in the same statement. Returns them, so the caller writes one audit row each in
 * the same transaction (the sweep, and every read or approval that finds one expired).
 */
export async function expireChangeRequests(db: Kysely<Database>, input: { now: Date; id?: string }): Promise<ChangeRequest[]> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .updateTable("change_requests")
      .set({ status: "expired", ciphertext: null, wrapped_key: null, key_id: null, decided_at: input.now, decided_by: "keyward:expiry" })
      .where("status", "=", "pending")
      .where("expires_at", "<=", input.now);
    if (input.id !== undefined) query = query.where("id", "=", input.id);
    const rows = await query.returningAll().execute();
    return rows.map(toChangeRequest);
  });
}
