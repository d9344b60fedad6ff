import type { Kysely } from "kysely";
import type { ChangeRequestStatus, Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { toChangeRequest, type ChangeRequest } from "./public.js";

export type ApproveChangeRequestResult =
  /** Recorded; `ready` when it was the last approval needed (status is now `approved`: apply it in this transaction). */
  | { kind: "ok"; ready: boolean; request: ChangeRequest }
  | { kind: "not_found" }
  | { kind: "expired"; request: ChangeRequest }
  | { kind: "not_pending"; status: ChangeRequestStatus }
  /** The approver is the requester: the same actor (key or OIDC subject) or the same owner. */
  | { kind: "self_approval" }
  /** The same actor or owner approved already: one person counts once. */
  | { kind: "already_approved" };

/** Whether two (actor, owner) pairs are the same person: same actor id, or the same non-empty owner. */
function samePerson(a: { actor: string; owner: string | null }, b: { actor: string; owner: string | null }): boolean {
  return a.actor === b.actor || (a.owner !== null && a.owner !== "" && a.owner === b.owner);
}

/**
 * Records one approval of a pending request under its row lock. The requester never approves
 * their own request, by the same key, OIDC subject (the actor id) or another key of the same owner.
 * When the approvals reach the count the request is `approved` and `ready`: the caller applies the
 * change and `markChangeRequestApplied` in the same transaction with its audit rows. A request past
 * its expiry is marked expired (value destroyed) instead. Call inside an audited transaction.
 */
export async function approveChangeRequest(
  db: Kysely<Database>,
  input: { id: string; actor: string; owner: string | null; at: Date },
): Promise<ApproveChangeRequestResult> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("change_requests").selectAll().where("id", "=", input.id).forUpdate().executeTakeFirst();
    if (!row) return { kind: "not_found" } as const;
    if (row.status !== "pending") return { kind: "not_pending", status: row.status } as const;
    if (new Date(row.expires_at).getTime() <= input.at.getTime()) {
      const expired = await trx
        .updateTable("change_requests")
        .set({ status: "expired", ciphertext: null, wrapped_key: null, key_id: null, decided_at: input.at, decided_by: "keyward:expiry" })
        .where("id", "=", input.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { kind: "expired", request: toChangeRequest(expired) } as const;
    }
    const approver = { actor: input.actor, owner: input.owner };
    if (samePerson(approver, { actor: row.requested_by, owner: row.requested_by_owner })) return { kind: "self_approval" } as const;
    if (row.approvals.some((a) => samePerson(approver, a))) return { kind: "already_approved" } as const;
    const approvals = [...row.approvals, { actor: input.actor, owner: input.owner, at: input.at.toISOString() }];
    const ready = approvals.length >= row.approvals_required;
    const updated = await trx
      .updateTable("change_requests")
      .set({ approvals: JSON.stringify(approvals), ...(ready ? { status: "approved", decided_at: input.at, decided_by: input.actor } : {}) })
      .where("id", "=", input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: "ok", ready, request: toChangeRequest(updated) } as const;
  });
}
