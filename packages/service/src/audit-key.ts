import path from "node:path";
import { AUDIT_KEY_FILE, loadOrCreateKeyFile, parseBase64Key } from "@keyward/common";

/** The audit chain key only (KEYWARD_AUDIT_KEY or <dataDir>/audit.key), never created: commands that append need the existing chain's key. */
export function loadExistingAuditKey(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  const fromEnv = env.KEYWARD_AUDIT_KEY?.trim();
  if (fromEnv) return parseBase64Key(fromEnv, "KEYWARD_AUDIT_KEY");
  return loadOrCreateKeyFile(path.join(dataDir, AUDIT_KEY_FILE), false).key;
}
