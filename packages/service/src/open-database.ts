import fs from "node:fs";
import path from "node:path";
import { KeywardError, loadServiceConfig, type ServiceConfig } from "@keyward/common";
import { connectDatabase, type KeywardDatabase } from "@keyward/db";

/** The configuration with an optional --data-dir override, as every command reads it. */
export function commandConfig(env: NodeJS.ProcessEnv, dataDir: string | undefined): ServiceConfig {
  return loadServiceConfig(dataDir ? { ...env, KEYWARD_DATA_DIR: dataDir } : env);
}

/**
 * Opens the service's existing database for an admin command. Unlike `start`, it never creates an
 * empty embedded database: a typo in --data-dir should be an error, not a new, empty Keyward.
 */
export async function openExistingDatabase(config: ServiceConfig): Promise<KeywardDatabase> {
  if (!config.databaseUrl) {
    const dir = path.join(config.dataDir, "pglite");
    if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
      throw new KeywardError("config", `no Keyward database in ${config.dataDir}: start the service there first, or pass the right --data-dir / KEYWARD_DATA_DIR (or set DATABASE_URL)`, {
        field: "KEYWARD_DATA_DIR",
      });
    }
    // PGlite is single-process: a second opener would corrupt it. It writes postmaster.pid while open.
    if (fs.existsSync(path.join(dir, "postmaster.pid"))) {
      throw new KeywardError(
        "config",
        `the embedded database in ${dir} is open by a running keyward-service: stop it first (or use the admin API). If no service is running, it was not shut down cleanly: start and stop it once.`,
        { field: "KEYWARD_DATA_DIR" },
      );
    }
  }
  return connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements });
}
