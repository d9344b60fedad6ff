import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { ChangeRequestKind, Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { CHANGE_REQUEST_VALUE, toChangeRequest, type ChangeRequest } from "./public.js";

/**
 * Opens a change request in an environment, with the environment's approvals count and lifetime.
 * A set-value's `value` is sealed with the envelope (AAD bound to the new request's id) and never
 * stored in clear; `payload` must not hold it. Call inside the audited transaction that records it.
 */
export async function createChangeRequest(
  db: Kysely<Database>,
  envelope: Envelope | undefined,
  input: {
    environmentId: string;
    kind: ChangeRequestKind;
    target: string;
    payload: Record<string, unknown>;
    value?: string;
    requestedBy: string;
    requestedByOwner: string | null;
    at: Date;
  },
): Promise<ChangeRequest> {
  if ((input.kind === "secret.set_value") !== (input.value !== undefined)) {
    throw new TypeError("a secret.set_value change request needs a value, and only it takes one");
  }
  if (input.value !== undefined && !envelope) throw new TypeError("sealing a change request's value needs the envelope");
  return inTransaction(db, async (trx) => {
    const environment = await trx
      .selectFrom("environments")
      .select(["approvals_required", "change_request_ttl_seconds"])
      .where("id", "=", input.environmentId)
      .executeTakeFirstOrThrow();
    const id = "cr_" + randomUUID().replaceAll("-", "");
    const sealed = input.value !== undefined ? envelope!.seal(input.value, id, 1, CHANGE_REQUEST_VALUE) : undefined;
    const row = await trx
      .insertInto("change_requests")
      .values({
        id,
        environment_id: input.environmentId,
        kind: input.kind,
        target: input.target,
        payload: JSON.stringify(input.payload),
        ciphertext: sealed?.ciphertext ?? null,
        wrapped_key: sealed?.wrappedKey ?? null,
        key_id: sealed?.keyId ?? null,
        requested_by: input.requestedBy,
        requested_by_owner: input.requestedByOwner,
        approvals_required: environment.approvals_required,
        created_at: input.at,
        expires_at: new Date(input.at.getTime() + environment.change_request_ttl_seconds * 1000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toChangeRequest(row);
  });
}
