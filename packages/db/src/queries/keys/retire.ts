import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { appendAudit } from "../audit/append.js";
import { countHeldValuesWrappedBy } from "../change-requests/rewrap.js";
import { countChannelsWrappedBy } from "../channels/rewrap.js";
import type { KeyringChange } from "./open-keyring.js";

export type RetireResult =
  | { kind: "ok"; id: string }
  | { kind: "not_found" }
  | { kind: "active" }
  | { kind: "already_retired" }
  | { kind: "in_use"; dataKeys: number };

/**
 * Retires a rewrapped KEK: refused while any data key still needs it. Its wrapped copy is erased,
 * so it can never decrypt again.
 */
export async function retireKek(db: Kysely<Database>, id: string, change: KeyringChange): Promise<RetireResult> {
  return db.transaction().execute(async (trx) => {
    // The row lock makes a concurrent rotate or retire of the same key wait for this one.
    const key = await trx.selectFrom("encryption_keys").select("status").where("id", "=", id).forUpdate().executeTakeFirst();
    if (!key) return { kind: "not_found" } as const;
    if (key.status === "active") return { kind: "active" } as const;
    if (key.status === "retired") return { kind: "already_retired" } as const;
    const used = await trx.selectFrom("secret_versions").select((eb) => eb.fn.countAll<number>().as("n")).where("key_id", "=", id).executeTakeFirstOrThrow();
    // Channel credentials (issue #14) and values held by change requests (issue #13) are data keys too.
    const dataKeys = Number(used.n) + (await countChannelsWrappedBy(trx, id)) + (await countHeldValuesWrappedBy(trx, id));
    if (dataKeys > 0) return { kind: "in_use", dataKeys } as const;
    await trx.updateTable("encryption_keys").set({ status: "retired", wrapped_key: null, retired_at: change.at, retired_by: change.actor }).where("id", "=", id).execute();
    await appendAudit(trx, change.auditKey, { at: change.at, actor_type: "admin", actor_id: change.actor, action: "keys.retire", target: `kek:${id}`, result: "ok" });
    return { kind: "ok", id } as const;
  });
}
