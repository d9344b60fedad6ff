import fs from "node:fs";
import path from "node:path";
import { KeywardError, loadServiceKeys, MASTER_KEY_FILE, type ServiceKeys } from "@keyward/common";
import type { Database } from "@keyward/db";
import type { Kysely } from "kysely";

/**
 * Loads the keys, generating them on first start. A new key is never generated for a database
 * that already holds encrypted values: that would make them unreadable, so it is an error instead.
 */
export async function loadKeysFor(db: Kysely<Database>, options: { env: NodeJS.ProcessEnv; dataDir: string }): Promise<ServiceKeys> {
  const keyFile = path.join(options.dataDir, MASTER_KEY_FILE);
  if (!options.env.KEYWARD_MASTER_KEY?.trim() && !fs.existsSync(keyFile)) {
    const existing = await db.selectFrom("secret_versions").select("key_id").limit(1).executeTakeFirst();
    if (existing) {
      throw new KeywardError(
        "config",
        `the database holds encrypted values (master key ${existing.key_id}) but no master key was found: set KEYWARD_MASTER_KEY or restore ${keyFile}`,
        { field: "KEYWARD_MASTER_KEY" },
      );
    }
  }
  return loadServiceKeys({ env: options.env, dataDir: options.dataDir, allowCreate: true });
}
