import path from "node:path";
import { type Kek, kekFromKey, loadOrCreateKeyFile, parseBase64Key, signingKeysFromSeed, type KeySource, type SigningKeys } from "./crypto/index.js";
import { deriveKeyFromPassphrase, type ScryptParams } from "./crypto/passphrase.js";
import { KeywardError } from "./errors/index.js";

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

export type MasterKeySource = "env" | "passphrase" | "file";

/** Which of the three master-key sources the environment selects; setting two is an error. */
export function masterKeySource(env: NodeJS.ProcessEnv): MasterKeySource {
  const key = Boolean(env.KEYWARD_MASTER_KEY?.trim());
  const passphrase = Boolean(env.KEYWARD_MASTER_PASSPHRASE);
  if (key && passphrase) {
    throw new KeywardError("config", "set either KEYWARD_MASTER_KEY or KEYWARD_MASTER_PASSPHRASE, not both", { field: "KEYWARD_MASTER_PASSPHRASE" });
  }
  return key ? "env" : passphrase ? "passphrase" : "file";
}

/**
 * The master key comes from KEYWARD_MASTER_KEY (base64, 32 bytes), from KEYWARD_MASTER_PASSPHRASE
 * through scrypt with the stored `kdf` parameters, or from `dataDir/master.key`, generated with
 * mode 0600 on first start when `allowCreate` is set. The audit key comes from KEYWARD_AUDIT_KEY or
 * `dataDir/audit.key` by the same file rule.
 */
export function loadServiceKeys(options: { env?: NodeJS.ProcessEnv; dataDir: string; allowCreate: boolean; kdf?: ScryptParams }): ServiceKeys {
  const env = options.env ?? process.env;
  const pick = (variable: string, file: string) =>
    env[variable]?.trim()
      ? { key: parseBase64Key(env[variable]!, variable), source: "env" as const }
      : loadOrCreateKeyFile(path.join(options.dataDir, file), options.allowCreate);
  let master: { key: Buffer; source: KeySource };
  if (masterKeySource(env) === "passphrase") {
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
