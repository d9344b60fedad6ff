import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  deriveKeyFromPassphrase,
  KeywardError,
  loadOrCreateKeyFile,
  MASTER_KEY_FILE,
  masterKeyFingerprint,
  newScryptParams,
  scryptCostFromEnv,
  isExternalMasterKeySource,
  type ExternalMasterKeySourceName,
  type MasterKeyKind,
  type MasterKeySource,
  type ScryptParams,
} from "@keyward/common";
import { openExternalMasterKey } from "./master-key/open.js";

/** Where `keys change-master --generate` writes the new master key, beside master.key. */
export const NEW_MASTER_KEY_FILE = `${MASTER_KEY_FILE}.new`;

export type NewMasterSource =
  | { kind: "file"; file: string }
  | { kind: "passphrase"; variable: string }
  | { kind: "generate" }
  /** An external key service, configured by KEYWARD_NEW_* variables (over the usual ones): see newSourceEnv. */
  | { kind: "external"; source: ExternalMasterKeySourceName };

/** The settings variables of each external source; `KEYWARD_NEW_<name minus KEYWARD_>` overrides each for change-master --to. */
export const EXTERNAL_SETTINGS: Record<ExternalMasterKeySourceName, readonly string[]> = {
  "aws-kms": ["KEYWARD_AWS_KMS_KEY_ID", "KEYWARD_AWS_KMS_REGION", "KEYWARD_AWS_KMS_ENDPOINT"],
  "azure-key-vault": ["KEYWARD_AZURE_KEY_ID"],
  "vault-transit": ["KEYWARD_VAULT_ADDR", "KEYWARD_VAULT_TOKEN", "KEYWARD_VAULT_NAMESPACE", "KEYWARD_VAULT_TRANSIT_KEY", "KEYWARD_VAULT_TRANSIT_MOUNT"],
};

/**
 * The environment the new source is read from: the current one, with KEYWARD_NEW_X taking the place
 * of KEYWARD_X for the target's settings (so kms → another kms key, or vault → another Vault, works),
 * and the local-key variables removed (they configure the current key, not the new one).
 */
export function newSourceEnv(env: NodeJS.ProcessEnv, source: ExternalMasterKeySourceName): NodeJS.ProcessEnv {
  const next: NodeJS.ProcessEnv = { ...env, KEYWARD_MASTER_KEY_SOURCE: source };
  delete next.KEYWARD_MASTER_KEY;
  delete next.KEYWARD_MASTER_PASSPHRASE;
  for (const name of EXTERNAL_SETTINGS[source]) {
    const override = env[name.replace(/^KEYWARD_/, "KEYWARD_NEW_")];
    if (override?.trim()) next[name] = override;
  }
  return next;
}

/** Opens the new external master key (validated settings; reachable, or a named error). */
export async function resolveNewExternalMasterKey(source: ExternalMasterKeySourceName, env: NodeJS.ProcessEnv): Promise<MasterKeySource> {
  return (await openExternalMasterKey(newSourceEnv(env, source), source))!;
}

export interface NewMasterKey {
  key: Buffer;
  /** Set when the new key is derived from a passphrase: stored so every start derives it again. */
  kdf: ScryptParams | null;
  /** The file --generate will write (not yet written). */
  generatedFile?: string;
}

/**
 * Reads `--new-key-file`: base64 32 bytes, mode 0600 or stricter. Every message names the file and
 * the fix, never its content.
 */
export function readNewKeyFile(file: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new KeywardError("config", `--new-key-file ${file} does not exist or cannot be read; create it with: (umask 077; openssl rand -base64 32 > ${file})`, { field: "--new-key-file" });
  }
  if (!stat.isFile()) throw new KeywardError("config", `--new-key-file ${file} is not a regular file; give the path of a file holding a base64 32-byte key`, { field: "--new-key-file" });
  try {
    return loadOrCreateKeyFile(file, false).key;
  } catch (error) {
    if (error instanceof KeywardError) throw error;
    // EACCES and the like: name the file, not the error's internals.
    throw new KeywardError("config", `--new-key-file ${file} cannot be read by this user; check its owner and permissions`, { field: "--new-key-file" });
  }
}

/** The new master key, from exactly one of --new-key-file, --new-passphrase-env or --generate. */
export function resolveNewMasterKey(source: Exclude<NewMasterSource, { kind: "external" }>, env: NodeJS.ProcessEnv, dataDir: string, scrypt = scryptCostFromEnv(env)): NewMasterKey {
  switch (source.kind) {
    case "file":
      return { key: readNewKeyFile(source.file), kdf: null };
    case "passphrase": {
      const { variable } = source;
      // Only upper-case names are accepted (and echoed): a passphrase typed here by mistake is never printed back.
      if (!/^[A-Z_][A-Z0-9_]*$/.test(variable)) {
        throw new KeywardError("config", `--new-passphrase-env takes the name of an environment variable in upper case (e.g. KEYWARD_NEW_MASTER_PASSPHRASE), not the passphrase itself`, { field: "--new-passphrase-env" });
      }
      if (variable === "KEYWARD_MASTER_PASSPHRASE") {
        throw new KeywardError("config", "KEYWARD_MASTER_PASSPHRASE holds the current passphrase; put the new one in another variable, e.g. --new-passphrase-env KEYWARD_NEW_MASTER_PASSPHRASE", { field: "--new-passphrase-env" });
      }
      const passphrase = env[variable];
      if (!passphrase) {
        throw new KeywardError("config", `environment variable ${variable} (from --new-passphrase-env) is not set or is empty; export the new passphrase in it and run again`, { field: variable });
      }
      if (env.KEYWARD_MASTER_PASSPHRASE && passphrase === env.KEYWARD_MASTER_PASSPHRASE) {
        throw new KeywardError("config", `the new passphrase in ${variable} is the current one (KEYWARD_MASTER_PASSPHRASE); choose a different passphrase`, { field: variable });
      }
      // A fresh salt for the new passphrase; the params are stored with the new fingerprint.
      const kdf = newScryptParams(scrypt);
      return { key: deriveKeyFromPassphrase(passphrase, kdf, variable), kdf };
    }
    case "generate": {
      const file = path.join(dataDir, NEW_MASTER_KEY_FILE);
      if (fs.existsSync(file)) {
        throw new KeywardError(
          "config",
          `${file} already exists (from an earlier keys change-master --generate?); if the database uses it now, move it to ${path.join(dataDir, MASTER_KEY_FILE)}, otherwise remove it, then run again`,
          { field: "--generate" },
        );
      }
      return { key: randomBytes(32), kdf: null, generatedFile: file };
    }
    default:
      return source satisfies never;
  }
}

/** Refuses a new key equal to the current one, by fingerprint (never by printing either key). */
export function refuseSameKey(current: MasterKeySource, next: MasterKeySource): void {
  if (current.fingerprint === next.fingerprint) {
    throw new KeywardError("config", `the new master key is the current one (${current.fingerprint}); nothing to change`, { reason: "same_master_key" });
  }
}

/** Writes the --generate key with mode 0600, never over an existing file. */
export function writeGeneratedKey(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
}

/** What the operator must do so the next start (of every replica) uses the new master key. */
export function nextSteps(options: { current: MasterKeyKind; next: NewMasterSource; dataDir: string }): string[] {
  const masterFile = path.join(options.dataDir, MASTER_KEY_FILE);
  const current = options.current;
  const unsetOld = isExternalMasterKeySource(current)
    ? `unset KEYWARD_MASTER_KEY_SOURCE=${current} and ${EXTERNAL_SETTINGS[current].join(", ")}`
    : current === "passphrase"
      ? "unset KEYWARD_MASTER_PASSPHRASE"
      : current === "env"
        ? "replace KEYWARD_MASTER_KEY"
        : `move the old ${masterFile} away (keep it with the old backups)`;
  const steps: string[] = [];
  switch (options.next.kind) {
    case "generate": {
      const generated = path.join(options.dataDir, NEW_MASTER_KEY_FILE);
      if (options.current === "file" || options.current === "generated") steps.push(`swap it in before the next start: mv ${generated} ${masterFile}`);
      else steps.push(`${unsetOld}, then either: mv ${generated} ${masterFile}, or set KEYWARD_MASTER_KEY to the content of ${generated} (and remove the file)`);
      break;
    }
    case "file":
      steps.push(`${options.current === "file" || options.current === "generated" ? "" : `${unsetOld}, then `}install the new key before the next start: copy ${options.next.file} to ${masterFile} (mode 0600), or set KEYWARD_MASTER_KEY to its content`);
      break;
    case "passphrase":
      steps.push(
        `start every replica with KEYWARD_MASTER_PASSPHRASE set to the new passphrase (from ${options.next.variable})${current === "env" ? " and KEYWARD_MASTER_KEY unset" : current === "passphrase" ? "" : isExternalMasterKeySource(current) ? `; ${unsetOld}` : `, and move ${masterFile} away`}`,
      );
      break;
    case "external": {
      const target = options.next.source;
      const settings = EXTERNAL_SETTINGS[target].map((v) => v.replace(/^KEYWARD_/, "KEYWARD_NEW_") + " as " + v).join(", ");
      steps.push(
        `start every replica with KEYWARD_MASTER_KEY_SOURCE=${target} and the settings given here (${settings}, where set)${current === target ? "" : `; ${current === "file" || current === "generated" ? `move the old ${masterFile} away (keep it with the old backups)` : unsetOld}`}`,
      );
      break;
    }
    default:
      return options.next satisfies never;
  }
  return steps;
}
