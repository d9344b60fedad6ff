import { randomBytes } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { asMasterKeySource, type Kek, kekFromKey, KeywardError, type MasterKeySource } from "@keyward/common";
import type { Database } from "../../schema.js";
import { appendAudit } from "../audit/append.js";
import { inTransaction } from "../transaction.js";

// Serialises keyring changes (first set-up, rotate) across connections and replicas.
export const KEYRING_LOCK = 0x6b656b73; // "keks"

export interface Keyring {
  active: Kek;
  /** Retiring KEKs: they still decrypt until every data key has been rewrapped. */
  others: Kek[];
  masterFingerprint: string;
}

export interface KeyringChange {
  auditKey: Uint8Array;
  actor: string;
  at: Date;
}

export const wrongMasterKey = (expected: string, got: string) =>
  new KeywardError(
    "config",
    `the master key does not match this database: it was set up with master key ${expected}, this one is ${got}. Check KEYWARD_MASTER_KEY_SOURCE and its settings, KEYWARD_MASTER_KEY, KEYWARD_MASTER_PASSPHRASE or master.key (after keys change-master, configure the new master key)`,
    { reason: "wrong_master_key", field: "KEYWARD_MASTER_KEY" },
  );

export async function newWrappedKek(master: MasterKeySource): Promise<{ kek: Kek; wrapped: Buffer }> {
  const kek = kekFromKey(randomBytes(32));
  return { kek, wrapped: await master.wrapKek(kek) };
}

/** Unwraps one stored KEK row; a row without a wrapped key is the old local master key itself (pre-keyring values). */
export async function unwrapRow(master: MasterKeySource, row: { id: string; wrapped_key: Uint8Array | null; wrapped_by: string }): Promise<{ kek: Kek; legacy: boolean }> {
  if (row.wrapped_by !== master.fingerprint) throw wrongMasterKey(row.wrapped_by, master.fingerprint);
  if (row.wrapped_key !== null) return { kek: await master.unwrapKek(row.id, row.wrapped_key), legacy: false };
  const legacy = master.legacyKek?.();
  if (!legacy || legacy.id !== row.id) throw wrongMasterKey(row.wrapped_by, master.fingerprint);
  return { kek: legacy, legacy: true };
}

/** First start: record the master key's check value and make KEK version 1 (adopting pre-keyring data). */
async function initialise(trx: Transaction<Database>, master: MasterKeySource, change: KeyringChange): Promise<void> {
  const fingerprint = master.fingerprint;
  const settings = await trx.selectFrom("master_key_settings").select("fingerprint").where("id", "=", 1).executeTakeFirst();
  if (settings && settings.fingerprint !== fingerprint) throw wrongMasterKey(settings.fingerprint, fingerprint);
  if (!settings) await trx.insertInto("master_key_settings").values({ id: 1, fingerprint, kdf: null, created_at: change.at }).execute();

  // Before the keyring, the master key wrapped data keys directly; keep it as a retiring KEK.
  const legacy = master.legacyKek?.();
  const used = await trx.selectFrom("secret_versions").select("key_id").distinct().execute();
  const foreign = used.map((u) => u.key_id).filter((id) => id !== legacy?.id);
  if (foreign.length > 0 || (used.length > 0 && !legacy)) {
    throw new KeywardError("config", `stored values are wrapped by ${foreign.join(", ")}, which is not this master key (${legacy?.id ?? master.describe()})`, { reason: "wrong_master_key" });
  }
  let version = 1;
  if (used.length > 0 && legacy) {
    await trx
      .insertInto("encryption_keys")
      .values({ id: legacy.id, version: version++, status: "retiring", wrapped_key: null, wrapped_by: fingerprint, created_at: change.at, created_by: change.actor })
      .execute();
  }
  const { kek, wrapped } = await newWrappedKek(master);
  await trx
    .insertInto("encryption_keys")
    .values({ id: kek.id, version, status: "active", wrapped_key: wrapped, wrapped_by: fingerprint, created_at: change.at, created_by: change.actor })
    .execute();
  await appendAudit(trx, change.auditKey, { at: change.at, actor_type: "system", actor_id: change.actor, action: "keys.init", target: `kek:${kek.id}`, result: "ok" });
}

/**
 * Loads every non-retired KEK, unwrapped by the master key, creating the keyring on first use.
 * A wrong master key (or passphrase) is named by its fingerprint, never by its bytes.
 */
export async function openKeyring(db: Kysely<Database>, masterKey: Buffer | MasterKeySource, change: KeyringChange): Promise<Keyring> {
  const master = asMasterKeySource(masterKey);
  const fingerprint = master.fingerprint;
  const settings = await db.selectFrom("master_key_settings").select("fingerprint").where("id", "=", 1).executeTakeFirst();
  if (settings && settings.fingerprint !== fingerprint) throw wrongMasterKey(settings.fingerprint, fingerprint);

  let rows = await db.selectFrom("encryption_keys").selectAll().where("status", "!=", "retired").orderBy("version").execute();
  if (rows.length === 0) {
    await inTransaction(db, async (trx) => {
      await sql`select pg_advisory_xact_lock(${KEYRING_LOCK})`.execute(trx);
      const again = await trx.selectFrom("encryption_keys").select("id").limit(1).executeTakeFirst();
      if (!again) await initialise(trx, master, change);
    });
    rows = await db.selectFrom("encryption_keys").selectAll().where("status", "!=", "retired").orderBy("version").execute();
  }
  const keks: { status: string; kek: Kek }[] = [];
  for (const row of rows) keks.push({ status: row.status, kek: (await unwrapRow(master, row)).kek });
  const active = keks.find((k) => k.status === "active");
  if (!active) throw new KeywardError("internal", "the keyring has no active KEK; run: keyward-service keys rotate");
  return { active: active.kek, others: keks.filter((k) => k !== active).map((k) => k.kek), masterFingerprint: fingerprint };
}
