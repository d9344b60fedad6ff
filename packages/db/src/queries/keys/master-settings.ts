import type { Kysely } from "kysely";
import type { Database, MasterKeySettings } from "../../schema.js";

export async function getMasterKeySettings(db: Kysely<Database>): Promise<MasterKeySettings | undefined> {
  return db.selectFrom("master_key_settings").selectAll().where("id", "=", 1).executeTakeFirst();
}

/** Stores the check value (and KDF params) once; under a race the first writer wins and its row is returned. */
export async function saveMasterKeySettings(db: Kysely<Database>, input: { fingerprint: string; kdf: string | null; at: Date }): Promise<MasterKeySettings> {
  await db
    .insertInto("master_key_settings")
    .values({ id: 1, fingerprint: input.fingerprint, kdf: input.kdf, created_at: input.at })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  return db.selectFrom("master_key_settings").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
}
