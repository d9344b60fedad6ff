import fs from "node:fs";
import path from "node:path";
import { assertAuditKeyFits } from "./audit-key.js";
import {
  deriveKeyFromPassphrase,
  type Envelope,
  KeywardError,
  loadServiceKeys,
  MASTER_KEY_FILE,
  masterKeyFingerprint,
  masterKeySource,
  newScryptParams,
  scryptCostFromEnv,
  parseScryptParams,
  type ScryptParams,
  isExternalMasterKeySource,
  type KeySource,
  loadAuditKey,
  localMasterKey,
  type MasterKeyKind,
  type MasterKeySource,
} from "@keyward/common";
import { openExternalMasterKey } from "./master-key/open.js";
import { createKeyringEnvelope, getMasterKeySettings, saveMasterKeySettings, wrongMasterKey, type Database } from "@keyward/db";
import type { Kysely } from "kysely";

export interface LoadedKeys {
  /** The master key source (local key or external key service): it wraps the KEK versions. */
  master: MasterKeySource;
  /** Where the master key came from (file, generated, env, passphrase, aws-kms, azure-key-vault, vault-transit). */
  kekSource: MasterKeyKind;
  auditKey: Buffer;
  auditKeySource: KeySource;
  /** Every non-retired KEK version, unwrapped by the master key; reloads after a rotation elsewhere. */
  envelope: Envelope & { reload(via?: unknown): Promise<void> };
}

export interface LoadKeysOptions {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** Generate master.key/audit.key on first start (the service); admin commands pass false. */
  allowCreate?: boolean;
  actor?: string;
  at?: Date;
}

/**
 * The scrypt params stored with the database, created on the first start with a passphrase (with
 * their audit row: the database is bound to this salt from then on).
 */
async function passphraseParams(db: Kysely<Database>, passphrase: string, change: { auditKey: Uint8Array; actor: string; at: Date }, env: NodeJS.ProcessEnv): Promise<ScryptParams> {
  const settings = await getMasterKeySettings(db);
  if (settings?.kdf) return parseScryptParams(settings.kdf);
  if (settings) {
    throw new KeywardError("config", "this database's master key is a key (KEYWARD_MASTER_KEY or master.key), not a passphrase: unset KEYWARD_MASTER_PASSPHRASE", {
      field: "KEYWARD_MASTER_PASSPHRASE",
    });
  }
  const params = newScryptParams(scryptCostFromEnv(env));
  const fingerprint = masterKeyFingerprint(deriveKeyFromPassphrase(passphrase, params));
  // Another replica may have stored its own salt first; then that one is the database's.
  const saved = await saveMasterKeySettings(
    db,
    { fingerprint, kdf: JSON.stringify(params), at: change.at },
    { auditKey: change.auditKey, actor: change.actor, action: "keys.passphrase", reason: `passphrase-derived master key (scrypt N=${params.N})` },
  );
  return saved.kdf ? parseScryptParams(saved.kdf) : params;
}

/**
 * Loads the master key source (KEYWARD_MASTER_KEY_SOURCE: an external key, opened through its
 * service; or KEYWARD_MASTER_KEY, KEYWARD_MASTER_PASSPHRASE or master.key) and the audit key, then
 * the keyring of KEK versions it wraps. A new key is never generated for a database that
 * already holds keys or encrypted values: that would make them unreadable, so it is an error.
 */
export async function loadKeysFor(db: Kysely<Database>, options: LoadKeysOptions): Promise<LoadedKeys> {
  const at = options.at ?? new Date();
  const source = masterKeySource(options.env);
  const settings = await getMasterKeySettings(db);
  const change = (auditKey: Buffer) => ({ auditKey, actor: options.actor ?? "keyward", at });
  // Every audit key is checked against the chain before anything below appends with it.
  const fitting = async (auditKey: Buffer) => (await assertAuditKeyFits(db, auditKey, options.env, options.dataDir), auditKey);
  if (isExternalMasterKeySource(source)) {
    if (settings?.kdf) throw new KeywardError("config", `this database's master key comes from a passphrase, not ${source}: set KEYWARD_MASTER_PASSPHRASE (or move it with keys change-master --to ${source})`, { field: "KEYWARD_MASTER_KEY_SOURCE" });
    const master = (await openExternalMasterKey(options.env, source))!;
    if (settings && settings.fingerprint !== master.fingerprint) throw mismatch(settings.fingerprint, master);
    const audit = loadAuditKey({ env: options.env, dataDir: options.dataDir, allowCreate: options.allowCreate ?? true });
    const envelope = await createKeyringEnvelope(db, master, change(await fitting(audit.auditKey)));
    return { master, kekSource: source, ...audit, envelope };
  }
  if (settings?.kdf && source !== "passphrase") {
    throw new KeywardError("config", "this database's master key comes from a passphrase: set KEYWARD_MASTER_PASSPHRASE", { field: "KEYWARD_MASTER_PASSPHRASE" });
  }
  const keyFile = path.join(options.dataDir, MASTER_KEY_FILE);
  if (source === "file" && !fs.existsSync(keyFile)) {
    const existing = await db.selectFrom("secret_versions").select("key_id").limit(1).executeTakeFirst();
    if (existing || settings) {
      throw new KeywardError(
        "config",
        `the database holds ${existing ? `encrypted values (master key ${existing.key_id})` : `keys for master key ${settings!.fingerprint}`} but no master key was found: set KEYWARD_MASTER_KEY or KEYWARD_MASTER_PASSPHRASE, or KEYWARD_MASTER_KEY_SOURCE and its settings if the key is held by AWS KMS, Azure Key Vault or Vault Transit, or restore ${keyFile}`,
        { field: "KEYWARD_MASTER_KEY" },
      );
    }
  }
  const kdf =
    source === "passphrase"
      ? await passphraseParams(db, options.env.KEYWARD_MASTER_PASSPHRASE!, change(await fitting(loadAuditKey({ env: options.env, dataDir: options.dataDir, allowCreate: options.allowCreate ?? true }).auditKey)), options.env)
      : undefined;
  const keys = loadServiceKeys({ env: options.env, dataDir: options.dataDir, allowCreate: options.allowCreate ?? true, kdf });
  const master = localMasterKey(keys.kek.key, keys.kekSource, keys.kekSource === "env" ? "KEYWARD_MASTER_KEY" : keys.kekSource === "passphrase" ? "KEYWARD_MASTER_PASSPHRASE" : keyFile);
  if (settings && settings.fingerprint !== master.fingerprint) throw mismatch(settings.fingerprint, master);
  const envelope = await createKeyringEnvelope(db, master, change(await fitting(keys.auditKey)));
  return { master, kekSource: keys.kekSource, auditKey: keys.auditKey, auditKeySource: keys.auditKeySource, envelope };
}

/** The database was set up under another master key: both named by fingerprint, the configured one by its source too. */
function mismatch(expected: string, master: MasterKeySource): KeywardError {
  const error = wrongMasterKey(expected, master.fingerprint);
  return new KeywardError("config", `${error.message}. Configured: ${master.describe()}`, { reason: "wrong_master_key", field: master.kind === "file" || master.kind === "generated" || master.kind === "env" || master.kind === "passphrase" ? "KEYWARD_MASTER_KEY" : "KEYWARD_MASTER_KEY_SOURCE" });
}
