import path from "node:path";
import { AUDIT_KEY_FILE, loadOrCreateKeyFile, loadSigningKey, parseBase64Key, type SigningKeys } from "@keyward/common";

/** A key from its variable or its file in the data dir, never created: commands work on an existing service's keys. */
function existingKey(env: NodeJS.ProcessEnv, dataDir: string, variable: string, file: string): Buffer {
  const fromEnv = env[variable]?.trim();
  if (fromEnv) return parseBase64Key(fromEnv, variable);
  return loadOrCreateKeyFile(path.join(dataDir, file), false).key;
}

/** The audit chain key only (KEYWARD_AUDIT_KEY or <dataDir>/audit.key): commands that append need the existing chain's key. */
export function loadExistingAuditKey(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  return existingKey(env, dataDir, "KEYWARD_AUDIT_KEY", AUDIT_KEY_FILE);
}

/** The checkpoint signing key (KEYWARD_AUDIT_SIGNING_KEY or <dataDir>/audit-signing.key). */
export function loadExistingSigningKey(env: NodeJS.ProcessEnv, dataDir: string): SigningKeys {
  return loadSigningKey({ env, dataDir, allowCreate: false }).signingKey;
}
