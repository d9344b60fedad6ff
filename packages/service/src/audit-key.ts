import path from "node:path";
import { AUDIT_KEY_FILE, KeywardError, loadOrCreateKeyFile, loadSigningKey, parseBase64Key, type SigningKeys } from "@keyward/common";
import { auditKeyFitsChain, type Database } from "@keyward/db";
import type { Kysely } from "kysely";

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

/** Where the audit key comes from, as an operator configures it: KEYWARD_AUDIT_KEY or the file's path. */
export function auditKeySource(env: NodeJS.ProcessEnv, dataDir: string): string {
  return env.KEYWARD_AUDIT_KEY?.trim() ? "KEYWARD_AUDIT_KEY" : path.join(dataDir, AUDIT_KEY_FILE);
}

/**
 * Refuses an audit key that is not the one the chain was written with, before anything appends
 * with it: its rows would break the chain, and `audit verify` would report them as tampering.
 * Names where the key came from (never the key).
 */
export async function assertAuditKeyFits(db: Kysely<Database>, key: Uint8Array, env: NodeJS.ProcessEnv, dataDir: string): Promise<void> {
  if (await auditKeyFitsChain(db, key)) return;
  const fromEnv = Boolean(env.KEYWARD_AUDIT_KEY?.trim());
  const where = auditKeySource(env, dataDir);
  throw new KeywardError(
    "config",
    `the audit key from ${where} is not the key this database's audit log was written with (the newest row's HMAC does not match it): configure the original key (${fromEnv ? "KEYWARD_AUDIT_KEY" : `${AUDIT_KEY_FILE} from your backup, or KEYWARD_AUDIT_KEY`}); rows appended with another key would break the chain`,
    { field: "KEYWARD_AUDIT_KEY" },
  );
}

/** loadExistingAuditKey, checked against the chain of the open database (commands that append). */
export async function loadFittingAuditKey(db: Kysely<Database>, env: NodeJS.ProcessEnv, dataDir: string): Promise<Buffer> {
  const key = loadExistingAuditKey(env, dataDir);
  await assertAuditKeyFits(db, key, env, dataDir);
  return key;
}
