import { isExternalMasterKeySource, masterKeySource } from "@keyward/common";
import { checkConfig } from "./checks/config.js";
import { checkExternalMasterKey } from "./checks/external-master-key.js";
import { checkDatabase } from "./checks/database.js";
import { checkDataDir } from "./checks/data-dir.js";
import { checkAuditCheckpoints, checkAuditKey, checkMasterKey } from "./checks/keys.js";
import { checkAuditRetention } from "./checks/audit-retention.js";
import type { DoctorCheck, DoctorReport } from "./types.js";

export type { DoctorCheck, DoctorReport } from "./types.js";

/** Whether the master key is external; conflicting local settings are left to checkMasterKey to name. */
function externalSource(env: NodeJS.ProcessEnv): boolean {
  try {
    return isExternalMasterKeySource(masterKeySource(env));
  } catch {
    return false;
  }
}

/**
 * Checks what `start` needs, in order, without changing anything: the configuration, the data
 * directory, the database, and that the keys match the data. Each problem comes with its fix.
 */
export async function runDoctor(env: NodeJS.ProcessEnv): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const { check, config } = checkConfig(env);
  checks.push(check);
  if (!config) {
    for (const name of ["data directory", "database", "master key", "audit key", "audit checkpoints", "audit retention"] as const) checks.push({ name, status: "skipped", summary: "needs a valid configuration" });
  } else {
    checks.push(checkDataDir(config, env));
    const database = await checkDatabase(config);
    checks.push(database.check);
    checks.push(externalSource(env) ? await checkExternalMasterKey(env, database.facts) : checkMasterKey(config, env, database.facts));
    checks.push(checkAuditKey(config, env, database.facts));
    checks.push(checkAuditCheckpoints(config, env));
    checks.push(checkAuditRetention(config, database.facts));
  }
  return { checks, failed: checks.some((c) => c.status === "fail") };
}
