import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey, inAuditedTransaction, type AdminApiKey, type AdminRole, type Database } from "@keyward/db";
import type { Kysely } from "kysely";

/**
 * Creates an admin key without the admin API: how an operator with the database and the audit key
 * gets back in when the bootstrap owner token is lost. The key and its audit row (the admin API's
 * `admin_key.create`, actor "cli:<user>@<host>") commit together; the token is returned only here.
 */
export async function createAdminKeyHeadless(
  db: Kysely<Database>,
  auditKey: Uint8Array,
  input: { name: string; role: AdminRole; actor: string; at: Date },
): Promise<{ key: AdminApiKey; token: string }> {
  const token = generateToken(ADMIN_TOKEN_PREFIX);
  const key = await inAuditedTransaction(db, auditKey, async (trx, audit) => {
    const created = await createAdminKey(trx, { name: input.name, role: input.role, keyHash: hashToken(token), actor: input.actor, at: input.at });
    audit({ at: input.at, actor_type: "cli", actor_id: input.actor, action: "admin_key.create", target: `admin_key:${created.id}`, result: "ok", reason: `role ${created.role}` });
    return created;
  });
  return { key, token };
}
