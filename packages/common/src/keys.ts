import path from "node:path";
import { type Kek, kekFromKey, loadOrCreateKeyFile, loadOrStageKeyFile, parseBase64Key, signingKeysFromSeed, type KeySource, type SigningKeys } from "./crypto/index.js";
import { deriveKeyFromPassphrase, type ScryptParams } from "./crypto/passphrase.js";
import { KeywardError } from "./errors/index.js";
import { shownValue } from "./shown-value.js";

export interface ServiceKeys {
  /** The master key. With the db keyring it is the root that wraps the KEK versions; alone, it is the KEK. */
  kek: Kek;
  kekSource: KeySource;
  /** Chains audit rows; kept apart from the KEK so rotating one never touches the other. */
  auditKey: Buffer;
  auditKeySource: KeySource;
}

export const MASTER_KEY_FILE = "master.key";
export const AUDIT_KEY_FILE = "audit.key";
export const AUDIT_SIGNING_KEY_FILE = "audit-signing.key";

/** The values KEYWARD_MASTER_KEY_SOURCE accepts: local keys (file, env, passphrase) and external key services. */
export const MASTER_KEY_SOURCES = ["file", "env", "passphrase", "aws-kms", "azure-key-vault", "vault-transit"] as const;
export type MasterKeySourceName = (typeof MASTER_KEY_SOURCES)[number];
export const EXTERNAL_MASTER_KEY_SOURCES = ["aws-kms", "azure-key-vault", "vault-transit"] as const;
export type ExternalMasterKeySourceName = (typeof EXTERNAL_MASTER_KEY_SOURCES)[number];
export const isExternalMasterKeySource = (name: string): name is ExternalMasterKeySourceName => (EXTERNAL_MASTER_KEY_SOURCES as readonly string[]).includes(name);

/**
 * Which master-key source the environment selects: KEYWARD_MASTER_KEY_SOURCE when set (and then
 * the other sources' variables must be unset), otherwise KEYWARD_MASTER_KEY, KEYWARD_MASTER_PASSPHRASE
 * or the master.key file, as before. Conflicting settings are an error naming both variables.
 */
export function masterKeySource(env: NodeJS.ProcessEnv): MasterKeySourceName {
  const key = Boolean(env.KEYWARD_MASTER_KEY?.trim());
  // Blank is unset, as loadServiceConfig reads it (a passphrase of spaces is never used).
  const passphrase = Boolean(env.KEYWARD_MASTER_PASSPHRASE?.trim());
  const explicit = env.KEYWARD_MASTER_KEY_SOURCE?.trim();
  if (explicit) {
    if (!(MASTER_KEY_SOURCES as readonly string[]).includes(explicit)) {
      throw new KeywardError("config", `KEYWARD_MASTER_KEY_SOURCE must be one of ${MASTER_KEY_SOURCES.join(", ")} (got ${shownValue(explicit)})`, { field: "KEYWARD_MASTER_KEY_SOURCE" });
    }
    const source = explicit as MasterKeySourceName;
    if (key && source !== "env") throw new KeywardError("config", `KEYWARD_MASTER_KEY is set, but KEYWARD_MASTER_KEY_SOURCE is ${source}: unset KEYWARD_MASTER_KEY, or set KEYWARD_MASTER_KEY_SOURCE=env`, { field: "KEYWARD_MASTER_KEY" });
    if (passphrase && source !== "passphrase") {
      throw new KeywardError("config", `KEYWARD_MASTER_PASSPHRASE is set, but KEYWARD_MASTER_KEY_SOURCE is ${source}: unset KEYWARD_MASTER_PASSPHRASE, or set KEYWARD_MASTER_KEY_SOURCE=passphrase`, { field: "KEYWARD_MASTER_PASSPHRASE" });
    }
    if (source === "env" && !key) throw new KeywardError("config", "KEYWARD_MASTER_KEY_SOURCE is env, but KEYWARD_MASTER_KEY is not set; generate one with: openssl rand -base64 32", { field: "KEYWARD_MASTER_KEY" });
    if (source === "passphrase" && !passphrase) throw new KeywardError("config", "KEYWARD_MASTER_KEY_SOURCE is passphrase, but KEYWARD_MASTER_PASSPHRASE is not set", { field: "KEYWARD_MASTER_PASSPHRASE" });
    return source;
  }
  if (key && passphrase) {
    throw new KeywardError("config", "set either KEYWARD_MASTER_KEY or KEYWARD_MASTER_PASSPHRASE, not both", { field: "KEYWARD_MASTER_PASSPHRASE" });
  }
  return key ? "env" : passphrase ? "passphrase" : "file";
}

const pickKey = (env: NodeJS.ProcessEnv, variable: string, file: string, allowCreate: boolean) =>
  env[variable]?.trim() ? { key: parseBase64Key(env[variable]!, variable), source: "env" as const } : loadOrCreateKeyFile(file, allowCreate);

/** The audit chain key: KEYWARD_AUDIT_KEY or `dataDir/audit.key` (created with mode 0600 when `allowCreate` is set). */
export function loadAuditKey(options: { env?: NodeJS.ProcessEnv; dataDir: string; allowCreate: boolean }): { auditKey: Buffer; auditKeySource: KeySource } {
  const audit = pickKey(options.env ?? process.env, "KEYWARD_AUDIT_KEY", path.join(options.dataDir, AUDIT_KEY_FILE), options.allowCreate);
  return { auditKey: audit.key, auditKeySource: audit.source };
}

/**
 * The master key comes from KEYWARD_MASTER_KEY (base64, 32 bytes), from KEYWARD_MASTER_PASSPHRASE
 * through scrypt with the stored `kdf` parameters, or from `dataDir/master.key`, generated with
 * mode 0600 on first start when `allowCreate` is set. The audit key comes from KEYWARD_AUDIT_KEY or
 * `dataDir/audit.key` by the same file rule.
 */
export function loadServiceKeys(options: { env?: NodeJS.ProcessEnv; dataDir: string; allowCreate: boolean; kdf?: ScryptParams }): ServiceKeys {
  const env = options.env ?? process.env;
  const pick = (variable: string, file: string) => pickKey(env, variable, path.join(options.dataDir, file), options.allowCreate);
  let master: { key: Buffer; source: KeySource };
  const source = masterKeySource(env);
  if (isExternalMasterKeySource(source)) {
    throw new KeywardError("config", `KEYWARD_MASTER_KEY_SOURCE=${source} is an external key: the service opens it (loadServiceKeys reads local keys only)`, { field: "KEYWARD_MASTER_KEY_SOURCE" });
  }
  if (source === "passphrase") {
    if (!options.kdf) throw new KeywardError("config", "KEYWARD_MASTER_PASSPHRASE needs the stored KDF parameters, and none were given", { field: "KEYWARD_MASTER_PASSPHRASE" });
    master = { key: deriveKeyFromPassphrase(env.KEYWARD_MASTER_PASSPHRASE!, options.kdf), source: "passphrase" };
  } else {
    master = pick("KEYWARD_MASTER_KEY", MASTER_KEY_FILE);
  }
  const audit = pick("KEYWARD_AUDIT_KEY", AUDIT_KEY_FILE);
  return { kek: kekFromKey(master.key), kekSource: master.source, auditKey: audit.key, auditKeySource: audit.source };
}

/**
 * The key that signs audit checkpoints (Ed25519): its own key, so the HMAC key alone cannot vouch
 * for a rewritten chain. From KEYWARD_AUDIT_SIGNING_KEY (a base64 32-byte seed) or
 * `dataDir/audit-signing.key`, generated with mode 0600 when `allowCreate` is set.
 */
export function loadSigningKey(options: { env?: NodeJS.ProcessEnv; dataDir: string; allowCreate: boolean }): { signingKey: SigningKeys; source: KeySource } {
  const value = (options.env ?? process.env).KEYWARD_AUDIT_SIGNING_KEY?.trim();
  const seed = value ? { key: parseBase64Key(value, "KEYWARD_AUDIT_SIGNING_KEY"), source: "env" as const } : loadOrCreateKeyFile(path.join(options.dataDir, AUDIT_SIGNING_KEY_FILE), options.allowCreate);
  return { signingKey: signingKeysFromSeed(seed.key), source: seed.source };
}

/**
 * loadSigningKey for the service's start: a key it generates is only staged beside its file, for
 * the caller to record first and then `publish` (see loadOrStageKeyFile). `publish` answers the key
 * to use: the staged one, or the one another process published meanwhile.
 */
export function stageSigningKey(options: { env?: NodeJS.ProcessEnv; dataDir: string }):
  | { signingKey: SigningKeys; source: Exclude<KeySource, "generated"> }
  | { signingKey: SigningKeys; source: "generated"; publish(): SigningKeys; discard(): void } {
  const value = (options.env ?? process.env).KEYWARD_AUDIT_SIGNING_KEY?.trim();
  if (value) return { signingKey: signingKeysFromSeed(parseBase64Key(value, "KEYWARD_AUDIT_SIGNING_KEY")), source: "env" };
  const file = path.join(options.dataDir, AUDIT_SIGNING_KEY_FILE);
  const seed = loadOrStageKeyFile(file);
  const signingKey = signingKeysFromSeed(seed.key);
  if (!("publish" in seed)) return { signingKey, source: seed.source as Exclude<KeySource, "generated"> };
  return {
    signingKey,
    source: "generated",
    publish: () => (seed.publish() ? signingKey : signingKeysFromSeed(loadOrCreateKeyFile(file, false).key)),
    discard: seed.discard,
  };
}
