import type { Kysely } from "kysely";
import type { Database, MasterKeySettings } from "../../schema.js";
import { appendAudit } from "../audit/append.js";
import { inTransaction } from "../transaction.js";

export async function getMasterKeySettings(db: Kysely<Database>): Promise<MasterKeySettings | undefined> {
  return db.selectFrom("master_key_settings").selectAll().where("id", "=", 1).executeTakeFirst();
}

/**
 * Stores the check value (and KDF params) once; under a race the first writer wins and its row is
 * returned. With `audit`, the writer that stores it appends its audit row in the same transaction
 * (a passphrase binds the database to its salt before the keyring exists: keys.init comes later).
 */
export async function saveMasterKeySettings(
  db: Kysely<Database>,
  input: { fingerprint: string; kdf: string | null; at: Date },
  audit?: { auditKey: Uint8Array; actor: string; action: string; reason: string },
): Promise<MasterKeySettings> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto("master_key_settings")
      .values({ id: 1, fingerprint: input.fingerprint, kdf: input.kdf, created_at: input.at })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted && audit) {
      await appendAudit(trx, audit.auditKey, { at: input.at, actor_type: "system", actor_id: audit.actor, action: audit.action, target: `master:${input.fingerprint}`, result: "ok", reason: audit.reason });
    }
    return trx.selectFrom("master_key_settings").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
  });
}
