import { sql, type Kysely } from "kysely";
import type { AdminApiKey, Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";

export type RevokeAdminKeyResult = { kind: "ok"; key: Omit<AdminApiKey, "key_hash"> } | { kind: "not_found" } | { kind: "already_revoked" } | { kind: "last_owner" };

// Serialises revocations so two owners cannot revoke each other at once and leave none.
const ADMIN_KEYS_LOCK = 0x6b776b79; // "kwky"

/** Revokes an admin key; the last active owner key is kept, so the service can never lock itself out. */
export async function revokeAdminKey(db: Kysely<Database>, input: { id: string; at: Date }): Promise<RevokeAdminKeyResult> {
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${ADMIN_KEYS_LOCK})`.execute(trx);
    const key = await trx.selectFrom("admin_api_keys").select(["role", "revoked_at"]).where("id", "=", input.id).executeTakeFirst();
    if (!key) return { kind: "not_found" } as const;
    if (key.revoked_at !== null) return { kind: "already_revoked" } as const;
    if (key.role === "owner") {
      const owners = await trx.selectFrom("admin_api_keys").select((eb) => eb.fn.countAll<number>().as("n")).where("role", "=", "owner").where("revoked_at", "is", null).executeTakeFirstOrThrow();
      if (Number(owners.n) <= 1) return { kind: "last_owner" } as const;
    }
    const revoked = await trx
      .updateTable("admin_api_keys")
      .set({ revoked_at: input.at })
      .where("id", "=", input.id)
      .returning(["id", "name", "role", "created_at", "created_by", "revoked_at", "last_used_at", "environments", "owner"])
      .executeTakeFirstOrThrow();
    return { kind: "ok", key: revoked } as const;
  });
}
