import fs from "node:fs";
import { ADMIN_TOKEN_PREFIX, generateToken, hashToken, KeywardError, type Clock, type Logger } from "@keyward/common";
import { countAdminKeys, createAdminKey, getAdminKeyByHash, inAuditedTransaction, lockAdminBootstrap, type Database } from "@keyward/db";
import type { Kysely } from "kysely";
import { bootstrapTokenPath, leftoverBootstrapTokenFile, writeBootstrapTokenFile } from "./bootstrap-token-file.js";

export interface BootstrapOwner {
  /** The new owner token, when it was created and handed to the caller ("return"). */
  token: string | undefined;
  /** The file holding the new owner token ("file"). */
  file: string | undefined;
}

/**
 * Creates the bootstrap owner admin key when the database has none, with its `admin.bootstrap` audit
 * row. The service runs it last, once listening, so no later step of the start can fail and take a
 * token shown to no one with it. Replicas starting together take turns (lockAdminBootstrap): one
 * creates the key, the others find it. With "file" the token is written (0600, synced) before the
 * commit, so a committed key always has its token somewhere; a file that cannot be written fails the
 * start naming the ways out, and nothing is stored.
 */
export async function bootstrapOwner(
  db: Kysely<Database>,
  options: { auditKey: Uint8Array; clock: Clock; logger: Logger; dataDir: string; deliver: "return" | "file" },
): Promise<BootstrapOwner> {
  const leftover = leftoverBootstrapTokenFile(options.dataDir);
  if ((await countAdminKeys(db)) > 0) {
    if (leftover) await reportLeftover(db, leftover, options.logger);
    return { token: undefined, file: undefined };
  }
  const token = generateToken(ADMIN_TOKEN_PREFIX);
  const file = options.deliver === "file" ? bootstrapTokenPath(options.dataDir) : undefined;
  let wrote = false;
  try {
    const created = await inAuditedTransaction(db, options.auditKey, async (trx, audit) => {
      await lockAdminBootstrap(trx);
      // Another replica may have bootstrapped while this one waited for the lock.
      if ((await countAdminKeys(trx)) > 0) return false;
      const key = await createAdminKey(trx, { name: "bootstrap", role: "owner", keyHash: hashToken(token), actor: "system", at: options.clock.now() });
      audit({ at: options.clock.now(), actor_type: "system", actor_id: "keyward", action: "admin.bootstrap", target: `admin:${key.id}`, result: "ok" });
      if (file) {
        writeTokenFile(file, token);
        wrote = true;
      } else if (leftover) {
        // With no admin key stored, a token file in the data directory was never stored either.
        fs.rmSync(leftover, { force: true });
      }
      return true;
    });
    if (!created) return { token: undefined, file: undefined };
  } catch (error) {
    // Only the file this start wrote: another replica's committed token stays.
    if (wrote && file) fs.rmSync(file, { force: true });
    throw error;
  }
  return file ? { token: undefined, file } : { token, file: undefined };
}

function writeTokenFile(file: string, token: string): void {
  try {
    writeBootstrapTokenFile(file, token);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new KeywardError(
      "config",
      `cannot write the bootstrap admin token to ${file} (${code}); nothing was stored. Make the data directory writable for the first start, or create an owner key first with: keyward-service admin-keys create --name NAME`,
      { field: "KEYWARD_DATA_DIR", cause: error },
    );
  }
}

/**
 * A token file beside stored admin keys: a reminder to delete it while its token works; removed when
 * its token is no admin key (a start stopped between writing it and committing, while another
 * replica bootstrapped) or a revoked one, since it then opens nothing.
 */
async function reportLeftover(db: Kysely<Database>, file: string, logger: Logger): Promise<void> {
  let token: string | undefined;
  try {
    token = fs.readFileSync(file, "utf8").trim();
  } catch {
    // Unreadable: only the operator can tell what it is.
  }
  if (token !== undefined && !(await getAdminKeyByHash(db, hashToken(token)))) {
    fs.rmSync(file, { force: true });
    logger.info({ file }, "removed the bootstrap admin token file: its token is not an active admin key (a start that stopped before storing it, or a revoked key)");
    return;
  }
  logger.warn({ file }, "the bootstrap admin token file is still in the data directory: delete it once the token is stored safely");
}
