import type { Kysely } from "kysely";
import { isKeywardError, type Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";
import { inAuditedTransaction } from "../audit/audited.js";

export interface BindingUpgrade {
  /** Versions re-sealed under the v2 binding (id, name, version). */
  upgraded: number;
  /** Versions that did not open under their v1 binding: left as they are, and refused on read. */
  unreadable: { secret: string; version: number }[];
}

/**
 * Re-seals every value stored before the v2 binding (migration 0301) so its AAD also binds the
 * secret's name: the value is opened under its v1 binding and sealed again with a fresh data key
 * under the active KEK. Batches are one transaction each, with one audit row; the rows are locked,
 * so replicas starting together split the work, and a killed run resumes where it stopped.
 */
export async function upgradeValueBindings(
  db: Kysely<Database>,
  envelope: Envelope,
  change: { auditKey: Uint8Array; actor: string; at: () => Date; batchSize?: number },
): Promise<BindingUpgrade> {
  const batchSize = change.batchSize ?? 200;
  const result: BindingUpgrade = { upgraded: 0, unreadable: [] };
  let after = { secretId: "", version: 0 };
  for (;;) {
    const batch = await inAuditedTransaction(db, change.auditKey, async (trx, audit) => {
      const rows = await trx
        .selectFrom("secret_versions as v")
        .innerJoin("secrets as s", "s.id", "v.secret_id")
        .select(["v.secret_id", "v.version", "v.ciphertext", "v.wrapped_key", "v.key_id", "s.name"])
        .where("v.aad_version", "=", 1)
        .where((eb) => eb.or([eb("v.secret_id", ">", after.secretId), eb.and([eb("v.secret_id", "=", after.secretId), eb("v.version", ">", after.version)])]))
        .orderBy("v.secret_id")
        .orderBy("v.version")
        .limit(batchSize)
        .forUpdate(["v"])
        .execute();
      let upgraded = 0;
      for (const row of rows) {
        if (!envelope.hasKey(row.key_id)) await envelope.reload?.(trx);
        let plaintext: string;
        try {
          plaintext = envelope.open({ ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, row.secret_id, row.version);
        } catch (error) {
          if (!isKeywardError(error) || error.code !== "crypto") throw error;
          result.unreadable.push({ secret: row.name, version: row.version });
          continue;
        }
        const sealed = envelope.seal(plaintext, row.secret_id, row.version, row.name);
        await trx
          .updateTable("secret_versions")
          .set({ ciphertext: sealed.ciphertext, wrapped_key: sealed.wrappedKey, key_id: sealed.keyId, aad_version: 2 })
          .where("secret_id", "=", row.secret_id)
          .where("version", "=", row.version)
          .execute();
        upgraded++;
      }
      if (upgraded > 0) audit({ at: change.at(), actor_type: "system", actor_id: change.actor, action: "values.rebind", target: "secret_versions", result: "ok", reason: `${upgraded} values re-sealed with the name binding` });
      const last = rows[rows.length - 1];
      return { count: rows.length, upgraded, last: last && { secretId: last.secret_id, version: last.version } };
    });
    result.upgraded += batch.upgraded;
    if (!batch.last || batch.count < batchSize) return result;
    after = batch.last;
  }
}
