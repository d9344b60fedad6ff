import fs from "node:fs";
import path from "node:path";
import {
  AUDIT_KEY_FILE,
  AUDIT_SIGNING_KEY_FILE,
  auditCheckpointSink,
  deriveKeyFromPassphrase,
  isKeywardError,
  kekFromKey,
  loadOrCreateKeyFile,
  MASTER_KEY_FILE,
  masterKeyFingerprint,
  parseBase64Key,
  parseScryptParams,
  type ServiceConfig,
} from "@keyward/common";
import type { DatabaseFacts, DoctorCheck } from "../types.js";

type Loaded = { kind: "found"; key: Buffer; where: string } | { kind: "missing"; file: string } | { kind: "bad"; problem: string; fix: string };

/** Finds a key the way start does (variable first, then file) without ever creating one. */
function locate(env: NodeJS.ProcessEnv, variable: string, file: string): Loaded {
  const value = env[variable]?.trim();
  try {
    if (value) return { kind: "found", key: parseBase64Key(value, variable), where: variable };
    if (!fs.existsSync(file)) return { kind: "missing", file };
    return { kind: "found", key: loadOrCreateKeyFile(file, false).key, where: file };
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    // parseBase64Key / loadOrCreateKeyFile messages name the variable or file and already say how to fix it.
    return { kind: "bad", problem: error.message, fix: value ? `set ${variable} to a valid key` : `repair ${file} or restore it from a backup` };
  }
}

/** The master key as start would get it: KEYWARD_MASTER_KEY, KEYWARD_MASTER_PASSPHRASE (with the stored KDF params), or master.key. */
function locateMaster(config: ServiceConfig, env: NodeJS.ProcessEnv, facts: DatabaseFacts | undefined): Loaded {
  const passphrase = env.KEYWARD_MASTER_PASSPHRASE;
  if (passphrase && env.KEYWARD_MASTER_KEY?.trim()) {
    return { kind: "bad", problem: "both KEYWARD_MASTER_KEY and KEYWARD_MASTER_PASSPHRASE are set", fix: "set only one of them" };
  }
  if (passphrase) {
    if (facts?.master && !facts.master.kdf) {
      return {
        kind: "bad",
        problem: `KEYWARD_MASTER_PASSPHRASE is set, but this database's master key (${facts.master.fingerprint}) is a key, not a passphrase (was it changed with keys change-master?)`,
        fix: "unset KEYWARD_MASTER_PASSPHRASE and configure the key: KEYWARD_MASTER_KEY or the master.key file",
      };
    }
    // Without stored KDF params there is nothing to derive against yet; start stores them.
    if (!facts?.master?.kdf) return { kind: "found", key: Buffer.alloc(0), where: "KEYWARD_MASTER_PASSPHRASE" };
    return { kind: "found", key: deriveKeyFromPassphrase(passphrase, parseScryptParams(facts.master.kdf)), where: "KEYWARD_MASTER_PASSPHRASE" };
  }
  return locate(env, "KEYWARD_MASTER_KEY", path.join(config.dataDir, MASTER_KEY_FILE));
}

/** A master.key.new left by `keys change-master --generate` that the database now uses: the fix is to swap it in. */
function generatedReplacement(config: ServiceConfig, facts: DatabaseFacts | undefined): string | undefined {
  const fresh = path.join(config.dataDir, `${MASTER_KEY_FILE}.new`);
  if (!facts?.master || !fs.existsSync(fresh)) return undefined;
  try {
    if (masterKeyFingerprint(loadOrCreateKeyFile(fresh, false).key) !== facts.master.fingerprint) return undefined;
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    return undefined;
  }
  return `the master key was changed (keys change-master --generate) to ${fresh}: swap it in with mv ${fresh} ${path.join(config.dataDir, MASTER_KEY_FILE)}`;
}

const total = (facts: DatabaseFacts | undefined) => (facts ? [...facts.valuesByKeyId.values()].reduce((a, b) => a + b, 0) : 0);

export function checkMasterKey(config: ServiceConfig, env: NodeJS.ProcessEnv, facts: DatabaseFacts | undefined): DoctorCheck {
  const name = "master key";
  const loaded = locateMaster(config, env, facts);
  const values = total(facts);
  switch (loaded.kind) {
    case "bad":
      return { name, status: "fail", summary: loaded.problem, fix: loaded.fix };
    case "missing":
      if (values > 0 || facts?.master) {
        const under = facts?.master ? `master key ${facts.master.fingerprint}` : `master key ${[...facts!.valuesByKeyId.keys()].join(", ")}`;
        return {
          name,
          status: "fail",
          summary: `the database holds ${values} value(s) encrypted under ${under}, but no master key is configured: KEYWARD_MASTER_KEY is unset and ${loaded.file} does not exist. Without it those values cannot be decrypted, and start refuses to run.`,
          fix: generatedReplacement(config, facts) ?? `restore ${loaded.file} from your backup (mode 0600), or set KEYWARD_MASTER_KEY to the key; do not generate a new one`,
        };
      }
      if (!facts) return { name, status: "warn", summary: `no master key (${loaded.file} missing, KEYWARD_MASTER_KEY unset) and the database could not be inspected`, fix: "if the database already holds secrets, restore the key before starting" };
      return { name, status: "ok", summary: `none yet; start generates ${loaded.file} (mode 0600). Back it up: it cannot be recovered.` };
    case "found": {
      if (loaded.key.length === 0) return { name, status: "ok", summary: "from KEYWARD_MASTER_PASSPHRASE (no stored KDF parameters yet; start stores them)" };
      // Since migration 0004 the database stores the master key's check value; older data only has KEK ids.
      if (facts?.master) {
        const fingerprint = masterKeyFingerprint(loaded.key);
        if (fingerprint !== facts.master.fingerprint) {
          return {
            name,
            status: "fail",
            summary: `the master key from ${loaded.where} (${fingerprint}) is not this database's master key (${facts.master.fingerprint}): its ${values} value(s) cannot be decrypted with it`,
            fix:
              generatedReplacement(config, facts) ??
              "configure the database's master key (KEYWARD_MASTER_KEY, KEYWARD_MASTER_PASSPHRASE or the master.key file from the backup; after keys change-master, the new one)",
          };
        }
        return { name, status: "ok", summary: `${fingerprint} from ${loaded.where} matches the database (${values} value(s))` };
      }
      // Without the database's facts the key cannot be compared: named by the check value start prints.
      if (!facts) return { name, status: "ok", summary: `${masterKeyFingerprint(loaded.key)} from ${loaded.where} (not compared: the database was not inspected)` };
      const id = kekFromKey(loaded.key).id;
      if (values === 0) return { name, status: "ok", summary: `${id} from ${loaded.where}` };
      if (!facts.valuesByKeyId.has(id)) {
        return {
          name,
          status: "fail",
          summary: `the master key from ${loaded.where} (${id}) is not the one the database's values are encrypted under (${[...facts.valuesByKeyId.keys()].join(", ")})`,
          fix: "configure the original master key (KEYWARD_MASTER_KEY or the master.key file from the backup)",
        };
      }
      return { name, status: "ok", summary: `${id} from ${loaded.where} encrypts ${facts.valuesByKeyId.get(id)} of ${values} value(s)` };
    }
    default:
      return loaded satisfies never;
  }
}

export function checkAuditKey(config: ServiceConfig, env: NodeJS.ProcessEnv, facts: DatabaseFacts | undefined): DoctorCheck {
  const name = "audit key";
  const loaded = locate(env, "KEYWARD_AUDIT_KEY", path.join(config.dataDir, AUDIT_KEY_FILE));
  switch (loaded.kind) {
    case "bad":
      return { name, status: "fail", summary: loaded.problem, fix: loaded.fix };
    case "missing":
      if (facts && facts.auditRows > 0) {
        return {
          name,
          status: "fail",
          summary: `the audit log has ${facts.auditRows} chained row(s), but no audit key is configured (KEYWARD_AUDIT_KEY unset, ${loaded.file} missing): the chain could not be verified or continued`,
          fix: `restore ${loaded.file} from your backup (mode 0600), or set KEYWARD_AUDIT_KEY`,
        };
      }
      return { name, status: "ok", summary: `none yet; start generates ${loaded.file} (mode 0600)` };
    case "found":
      if (loaded.where !== "KEYWARD_AUDIT_KEY") return besideTheData(name, loaded.where, "KEYWARD_AUDIT_KEY", "rewrite the audit chain (and every row's HMAC) without it showing");
      return { name, status: "ok", summary: `from ${loaded.where}` };
    default:
      return loaded satisfies never;
  }
}

/** A key file in the data directory: whoever has the data volume (or a backup of it) has the key too. */
function besideTheData(name: DoctorCheck["name"], file: string, variable: string, risk: string): DoctorCheck {
  return {
    name,
    status: "warn",
    summary: `from ${file}, beside the data: anyone with the data volume or its backups can ${risk}`,
    fix: `in production set ${variable} from a secret store (not the data volume) and remove ${file}; see "Security" in the README`,
  };
}

/** The checkpoint signing key and sink: checkpoints catch a truncated or wiped log only if they live apart from it. */
export function checkAuditCheckpoints(config: ServiceConfig, env: NodeJS.ProcessEnv): DoctorCheck {
  const name = "audit checkpoints";
  const loaded = locate(env, "KEYWARD_AUDIT_SIGNING_KEY", path.join(config.dataDir, AUDIT_SIGNING_KEY_FILE));
  if (loaded.kind === "bad") return { name, status: "fail", summary: loaded.problem, fix: loaded.fix };
  const sink = auditCheckpointSink(config);
  if (!sink) {
    return { name, status: "warn", summary: "off (KEYWARD_AUDIT_CHECKPOINT_SINK=off): deleting the newest audit rows, or all of them, goes unnoticed unless you keep checkpoints yourself", fix: "set KEYWARD_AUDIT_CHECKPOINT_SINK to a file on another volume or an https:// collector" };
  }
  const inData = !/^[a-z][a-z0-9+.-]*:\/\//i.test(sink) && !path.relative(config.dataDir, sink).startsWith("..");
  if (inData) {
    return {
      name,
      status: "warn",
      summary: `written to ${sink}, inside the data directory: whoever can truncate the log there can usually truncate the checkpoints too`,
      fix: "set KEYWARD_AUDIT_CHECKPOINT_SINK to a file on another volume, or an https:// collector with append-only storage",
    };
  }
  if (loaded.kind === "found" && loaded.where !== "KEYWARD_AUDIT_SIGNING_KEY") return besideTheData(name, loaded.where, "KEYWARD_AUDIT_SIGNING_KEY", "sign checkpoints for a rewritten log");
  return { name, status: "ok", summary: `signed every ${config.auditCheckpoints.intervalMs / 1000} s to ${sink.replace(/\?.*$/, "")}` };
}
