import fs from "node:fs";
import path from "node:path";
import { deriveKeyFromPassphrase, isExternalMasterKeySource, loadOrCreateKeyFile, MASTER_KEY_FILE, masterKeyFingerprint, masterKeySource, parseBase64Key, parseScryptParams } from "@keyward/common";

/**
 * Whether the master key this host would use is the archive's (by fingerprint), read-only: a
 * sentence for the operator. Values decrypt only under the archive's master key.
 */
export function describeMasterKey(env: NodeJS.ProcessEnv, dataDir: string, expected: { fingerprint: string; kdf: string | null } | undefined): string {
  if (!expected) return "The archive holds no master key settings (no value was ever stored).";
  let key: Buffer | undefined;
  let where: string;
  try {
    const source = masterKeySource(env);
    if (isExternalMasterKeySource(source)) {
      return `The master key here is external (KEYWARD_MASTER_KEY_SOURCE=${source}): values decrypt only if it is the archive's master key (fingerprint ${expected.fingerprint}); start checks it, or run keyward-service doctor.`;
    }
    if (source === "env") {
      where = "KEYWARD_MASTER_KEY";
      key = parseBase64Key(env.KEYWARD_MASTER_KEY!, "KEYWARD_MASTER_KEY");
    } else if (source === "passphrase") {
      where = "KEYWARD_MASTER_PASSPHRASE";
      if (expected.kdf) key = deriveKeyFromPassphrase(env.KEYWARD_MASTER_PASSPHRASE!, parseScryptParams(expected.kdf));
    } else {
      const file = path.join(dataDir, MASTER_KEY_FILE);
      where = file;
      if (fs.existsSync(file)) key = loadOrCreateKeyFile(file, false).key;
    }
  } catch (error) {
    return `The master key here cannot be read (${error instanceof Error ? error.message : "error"}); values decrypt only under the archive's master key (fingerprint ${expected.fingerprint}).`;
  }
  if (!key) return `No master key is in place yet: values decrypt only under the archive's master key (fingerprint ${expected.fingerprint}${expected.kdf ? ", from a passphrase: set KEYWARD_MASTER_PASSPHRASE" : ""}); put it in KEYWARD_MASTER_KEY or ${path.join(dataDir, MASTER_KEY_FILE)} before starting.`;
  const fingerprint = masterKeyFingerprint(key);
  if (fingerprint === expected.fingerprint) return `Master key (${where}) matches the archive's (fingerprint ${fingerprint}): values will decrypt.`;
  return `WARNING: the master key in ${where} (fingerprint ${fingerprint}) is not the archive's (fingerprint ${expected.fingerprint}): values will not decrypt until the archive's master key is in place.`;
}
