import type { Kysely } from "kysely";
import type { ChangeRequestStatus, Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { toChangeRequest, type ChangeRequest } from "./public.js";

export type RejectChangeRequestResult =
  | { kind: "ok"; request: ChangeRequest }
  | { kind: "not_found" }
  | { kind: "expired"; request: ChangeRequest }
  | { kind: "not_pending"; status: ChangeRequestStatus };

/**
 * Rejects a pending request and destroys its sealed value in the same update. Anyone who may
 * approve may reject, and the requester may withdraw their own. One found past its expiry is
 * marked expired instead (the caller audits either). Call inside an audited transaction.
 */
export async function rejectChangeRequest(db: Kysely<Database>, input: { id: string; actor: string; at: Date }): Promise<RejectChangeRequestResult> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("change_requests").select(["status", "expires_at"]).where("id", "=", input.id).forUpdate().executeTakeFirst();
    if (!row) return { kind: "not_found" } as const;
    if (row.status !== "pending") return { kind: "not_pending", status: row.status } as const;
    const expired = new Date(row.expires_at).getTime() <= input.at.getTime();
    const updated = await trx
      .updateTable("change_requests")
      .set({ status: expired ? "expired" : "rejected", ciphertext: null, wrapped_key: null, key_id: null, decided_at: input.at, decided_by: expired ? "keyward:expiry" : input.actor })
      .where("id", "=", input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: expired ? "expired" : "ok", request: toChangeRequest(updated) } as const;
  });
}
