import { sql, type Kysely } from "kysely";
import { asMasterKeySource, KeywardError, type MasterKeySource, type ScryptParams } from "@keyward/common";
import type { Database } from "../../schema.js";
import { appendAudit } from "../audit/append.js";
import { KEYRING_LOCK, unwrapRow, wrongMasterKey, type KeyringChange } from "./open-keyring.js";

export interface MasterKeyChangeInput {
  /** The master key the database is set up with now (checked against the stored fingerprint): a local key or an external source. */
  current: Buffer | MasterKeySource;
  /** The master key to wrap every non-retired KEK with from now on: a local key or an external source. */
  next: Buffer | MasterKeySource;
  /** The scrypt parameters when `next` was derived from a passphrase; null (or absent) for a raw key. */
  nextKdf?: ScryptParams | null;
}

export type ChangeMasterKeyResult =
  | {
      kind: "ok";
      /** Fingerprints (check values) of the old and new master keys; never the keys. */
      previous: string;
      fingerprint: string;
      /** KEK ids now wrapped by the new master key. */
      rewrapped: string[];
      /**
       * KEKs that are the old master key itself (values written before the keyring, still being
       * rewrapped). They are now wrapped by the new master key too, but the old key still decrypts
       * their data keys until `rewrapDataKeys` and `retireKek` are done.
       */
      legacy: string[];
    }
  | { kind: "no_keyring" };

/**
 * Changes the master key: in one transaction, unwraps every non-retired KEK with `current`, wraps it
 * with `next`, and stores `next`'s fingerprint (and passphrase KDF params, or none for a raw key) in
 * `master_key_settings`. Data keys and values are never touched. Holds the keyring lock, so it never
 * interleaves with another change, `rotateKek` or first set-up. A wrong `current` key is named by
 * fingerprint and nothing changes.
 *
 * Running services keep their unwrapped KEKs in memory and keep working, but they need the new
 * master key on their next start, or to load a KEK rotated after this change.
 */
export async function changeMasterKey(
  db: Kysely<Database>,
  input: MasterKeyChangeInput,
  change: KeyringChange & { actorType?: string },
): Promise<ChangeMasterKeyResult> {
  if (Buffer.isBuffer(input.next) && input.next.length !== 32) throw new KeywardError("invalid_argument", `the new master key must be 32 bytes, got ${input.next.length}`);
  const current = asMasterKeySource(input.current);
  const next = asMasterKeySource(input.next);
  const previous = current.fingerprint;
  const fingerprint = next.fingerprint;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${KEYRING_LOCK})`.execute(trx);
    const settings = await trx.selectFrom("master_key_settings").select("fingerprint").where("id", "=", 1).forUpdate().executeTakeFirst();
    if (!settings) return { kind: "no_keyring" } as const;
    if (settings.fingerprint !== previous) throw wrongMasterKey(settings.fingerprint, previous);
    if (fingerprint === previous) {
      throw new KeywardError("invalid_argument", `the new master key is the current one (${previous}); nothing to change`, { reason: "same_master_key" });
    }
    const rows = await trx.selectFrom("encryption_keys").select(["id", "wrapped_key", "wrapped_by"]).where("status", "!=", "retired").orderBy("version").forUpdate().execute();
    if (rows.length === 0) return { kind: "no_keyring" } as const;
    const legacy: string[] = [];
    for (const row of rows) {
      // A row without a wrapped key is the old master key itself, adopted as a KEK for values written before the keyring.
      const { kek, legacy: isLegacy } = await unwrapRow(current, row);
      if (isLegacy) legacy.push(row.id);
      const wrapped = await next.wrapKek(kek);
      const result = await trx
        .updateTable("encryption_keys")
        .set({ wrapped_key: wrapped, wrapped_by: fingerprint })
        .where("id", "=", row.id)
        .where("wrapped_by", "=", previous)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new KeywardError("conflict", `KEK ${row.id} changed during the master key change; nothing was changed, retry`);
    }
    await trx
      .updateTable("master_key_settings")
      .set({ fingerprint, kdf: input.nextKdf ? JSON.stringify(input.nextKdf) : null })
      .where("id", "=", 1)
      .execute();
    await appendAudit(trx, change.auditKey, {
      at: change.at,
      actor_type: change.actorType ?? "admin",
      actor_id: change.actor,
      action: "keys.master.change",
      target: `master:${fingerprint}`,
      result: "ok",
      reason: `replaces ${previous}; ${rows.length} KEK(s) rewrapped; ${current.kind} -> ${next.kind === "generated" ? "file" : next.kind}${input.nextKdf ? " (passphrase)" : ""}`,
    });
    return { kind: "ok", previous, fingerprint, rewrapped: rows.map((r) => r.id), legacy } as const;
  });
}
