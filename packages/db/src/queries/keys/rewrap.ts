import type { Kysely } from "kysely";
import { type Envelope, KeywardError } from "@keyward/common";
import type { Database } from "../../schema.js";
import { appendAudit } from "../audit/append.js";
import { countHeldValuesWrappedBy, rewrapHeldValues } from "../change-requests/rewrap.js";
import { countChannelsWrappedBy, rewrapChannelCredentials } from "../channels/rewrap.js";
import type { KeyringChange } from "./open-keyring.js";

export interface RewrapProgress {
  /** Data keys moved to the active KEK by this call. */
  rewrapped: number;
  /** Data keys still wrapped by another KEK. */
  remaining: number;
}

/**
 * Moves data keys from retiring KEKs to the active one, `batchSize` rows per transaction. Values
 * are never re-encrypted. Progress lives in the rows themselves (their key_id), so a run that is
 * killed loses at most its open batch and the next run simply continues.
 */
export async function rewrapDataKeys(
  db: Kysely<Database>,
  envelope: Envelope,
  options: Omit<KeyringChange, "at"> & { batchSize?: number; clock?: () => Date; onBatch?: (progress: RewrapProgress) => void },
): Promise<RewrapProgress> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new KeywardError("invalid_argument", `batchSize must be a positive integer, got ${batchSize}`, { field: "batchSize" });
  const now = options.clock ?? (() => new Date());
  const active = await db.selectFrom("encryption_keys").select("id").where("status", "=", "active").executeTakeFirst();
  if (active && active.id !== envelope.activeKeyId) await envelope.reload?.();
  if (!active || active.id !== envelope.activeKeyId) {
    throw new KeywardError("conflict", `the loaded active KEK ${envelope.activeKeyId} is not the database's (${active?.id ?? "none"}); reload the keys and retry`);
  }
  let rewrapped = 0;
  // Channel credentials (issue #14) and values held by change requests (issue #13) are few: one
  // transaction, before the values' batches.
  rewrapped += await db.transaction().execute(async (trx) => {
    const channels = await rewrapChannelCredentials(trx, envelope);
    if (channels > 0) await appendAudit(trx, options.auditKey, { at: now(), actor_type: "admin", actor_id: options.actor, action: "keys.rewrap", target: `kek:${envelope.activeKeyId}`, result: "ok", reason: `${channels} channel credentials` });
    const held = await rewrapHeldValues(trx, envelope);
    if (held > 0) await appendAudit(trx, options.auditKey, { at: now(), actor_type: "admin", actor_id: options.actor, action: "keys.rewrap", target: `kek:${envelope.activeKeyId}`, result: "ok", reason: `${held} values held by change requests` });
    return channels + held;
  });
  for (;;) {
    const moved = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("secret_versions")
        .select(["secret_id", "version", "wrapped_key", "key_id"])
        .where("key_id", "!=", envelope.activeKeyId)
        .orderBy("secret_id")
        .orderBy("version")
        .limit(batchSize)
        .forUpdate()
        .execute();
      for (const row of rows) {
        if (!envelope.hasKey(row.key_id)) throw new KeywardError("crypto", `data key of ${row.secret_id} v${row.version} is wrapped by ${row.key_id}, which is not loaded`);
        const next = envelope.rewrap({ wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, row.secret_id, row.version);
        await trx
          .updateTable("secret_versions")
          .set({ wrapped_key: next.wrappedKey, key_id: next.keyId })
          .where("secret_id", "=", row.secret_id)
          .where("version", "=", row.version)
          .where("key_id", "=", row.key_id)
          .execute();
      }
      if (rows.length > 0) {
        await appendAudit(trx, options.auditKey, { at: now(), actor_type: "admin", actor_id: options.actor, action: "keys.rewrap", target: `kek:${envelope.activeKeyId}`, result: "ok", reason: `${rows.length} data keys` });
      }
      return rows.length;
    });
    rewrapped += moved;
    const remaining = await countNotOn(db, envelope.activeKeyId);
    if (moved > 0) options.onBatch?.({ rewrapped, remaining });
    if (moved === 0 || remaining === 0) return { rewrapped, remaining };
  }
}

async function countNotOn(db: Kysely<Database>, keyId: string): Promise<number> {
  const row = await db.selectFrom("secret_versions").select((eb) => eb.fn.countAll<number>().as("n")).where("key_id", "!=", keyId).executeTakeFirstOrThrow();
  return Number(row.n) + (await countChannelsWrappedBy(db, keyId, { not: true })) + (await countHeldValuesWrappedBy(db, keyId, { not: true }));
}
