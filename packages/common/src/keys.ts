import path from "node:path";
import { type Kek, kekFromKey, loadOrCreateKeyFile, parseBase64Key, type KeySource } from "./crypto/index.js";

export interface ServiceKeys {
  kek: Kek;
  kekSource: KeySource;
  /** Chains audit rows; kept apart from the KEK so rotating one never touches the other. */
  auditKey: Buffer;
  auditKeySource: KeySource;
}

export const MASTER_KEY_FILE = "master.key";
export const AUDIT_KEY_FILE = "audit.key";

/**
 * The master key comes from KEYWARD_MASTER_KEY, else from `dataDir/master.key`, generated with
 * mode 0600 on first start when `allowCreate` is set. The audit key follows the same rule.
 */
export function loadServiceKeys(options: { env?: NodeJS.ProcessEnv; dataDir: string; allowCreate: boolean }): ServiceKeys {
  const env = options.env ?? process.env;
  const pick = (variable: string, file: string) =>
    env[variable]?.trim()
      ? { key: parseBase64Key(env[variable]!, variable), source: "env" as const }
      : loadOrCreateKeyFile(path.join(options.dataDir, file), options.allowCreate);
  const master = pick("KEYWARD_MASTER_KEY", MASTER_KEY_FILE);
  const audit = pick("KEYWARD_AUDIT_KEY", AUDIT_KEY_FILE);
  return { kek: kekFromKey(master.key), kekSource: master.source, auditKey: audit.key, auditKeySource: audit.source };
}
