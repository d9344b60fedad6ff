import { sql, type Kysely } from "kysely";
import { asMasterKeySource, type MasterKeySource } from "@keyward/common";
import type { Database } from "../../schema.js";
import { appendAudit } from "../audit/append.js";
import { consoleLinks, recordEvent } from "../outbox/record.js";
import { KEYRING_LOCK, newWrappedKek, wrongMasterKey, type KeyringChange } from "./open-keyring.js";

export type RotateResult = { kind: "ok"; previous: string; active: string; version: number } | { kind: "no_keyring" };

/**
 * Makes a new KEK version active; the previous one becomes retiring and keeps decrypting until
 * `rewrapDataKeys` has moved every data key off it. No value is touched.
 */
export async function rotateKek(db: Kysely<Database>, masterKey: Buffer | MasterKeySource, change: KeyringChange): Promise<RotateResult> {
  const master = asMasterKeySource(masterKey);
  const fingerprint = master.fingerprint;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${KEYRING_LOCK})`.execute(trx);
    const current = await trx.selectFrom("encryption_keys").select(["id", "wrapped_by"]).where("status", "=", "active").forUpdate().executeTakeFirst();
    if (!current) return { kind: "no_keyring" } as const;
    if (current.wrapped_by !== fingerprint) throw wrongMasterKey(current.wrapped_by, fingerprint);
    const top = await trx.selectFrom("encryption_keys").select((eb) => eb.fn.max("version").as("v")).executeTakeFirstOrThrow();
    const version = Number(top.v) + 1;
    const { kek, wrapped } = await newWrappedKek(master);
    await trx.updateTable("encryption_keys").set({ status: "retiring" }).where("id", "=", current.id).execute();
    await trx
      .insertInto("encryption_keys")
      .values({ id: kek.id, version, status: "active", wrapped_key: wrapped, wrapped_by: fingerprint, created_at: change.at, created_by: change.actor })
      .execute();
    await appendAudit(trx, change.auditKey, { at: change.at, actor_type: "admin", actor_id: change.actor, action: "keys.rotate", target: `kek:${kek.id}`, result: "ok", reason: `replaces ${current.id}` });
    // Operators hear of it (the next steps, rewrap and retire, are theirs); ids only, never key material.
    await recordEvent(trx, { type: "key.rotated", subject: kek.id, link: consoleLinks.overview(), data: { active: kek.id, previous: current.id, version, actor: change.actor } });
    return { kind: "ok", previous: current.id, active: kek.id, version } as const;
  });
}
