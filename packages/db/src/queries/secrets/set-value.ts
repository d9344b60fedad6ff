import type { Kysely } from "kysely";
import { type Envelope, KeywardError } from "@keyward/common";
import { inTransaction } from "../transaction.js";
import type { Database } from "../../schema.js";

/** How many versions of a secret are kept by default (issue #4). */
export const DEFAULT_KEEP_VERSIONS = 10;

export type SetValueResult =
  | { kind: "ok"; secretId: string; version: number }
  | { kind: "not_found" }
  /** A disabled secret takes no value: writing one would make it active, i.e. quietly re-enable it. */
  | { kind: "disabled" }
  | { kind: "version_conflict"; currentVersion: number };

/**
 * Stores a new encrypted version of a secret in one environment and makes it current, in one transaction (the caller's, when `db`
 * is one). The row lock on the secret serialises writers and makes the disabled check part of the
 * write, so a concurrent disable cannot be undone by it; `expectedVersion` refuses lost updates.
 */
export async function setSecretValue(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { environmentId: string; name: string; value: string; actor: string; at: Date; expectedVersion?: number; keepVersions?: number },
): Promise<SetValueResult> {
  const keep = input.keepVersions ?? DEFAULT_KEEP_VERSIONS;
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keepVersions must be a positive integer, got ${keep}`);
  // Another process may have rotated the KEK: pick up the new active one before sealing with it.
  if (envelope.reload) {
    const active = await db.selectFrom("encryption_keys").select("id").where("status", "=", "active").executeTakeFirst();
    if (active && active.id !== envelope.activeKeyId) await envelope.reload(db);
  }
  return inTransaction(db, async (trx) => {
    // Sharing the key row's lock makes a concurrent rotate wait for this write, so rewrap sees it;
    // a KEK that is no longer active is refused rather than used for new data.
    const kek = await trx.selectFrom("encryption_keys").select("status").where("id", "=", envelope.activeKeyId).forShare().executeTakeFirst();
    if (kek && kek.status !== "active") {
      throw new KeywardError("conflict", `the master key version ${envelope.activeKeyId} is ${kek.status}; the keys were rotated during this write, retry`, { reason: "key_rotated" });
    }
    const secret = await trx.selectFrom("secrets").select(["id", "current_version", "status"]).where("name", "=", input.name).where("environment_id", "=", input.environmentId).forUpdate().executeTakeFirst();
    if (!secret) return { kind: "not_found" } as const;
    if (secret.status === "disabled") return { kind: "disabled" } as const;
    if (input.expectedVersion !== undefined && input.expectedVersion !== secret.current_version) {
      return { kind: "version_conflict", currentVersion: secret.current_version } as const;
    }
    const version = secret.current_version + 1;
    const sealed = envelope.seal(input.value, secret.id, version, input.name);
    await trx
      .insertInto("secret_versions")
      .values({ secret_id: secret.id, version, ciphertext: sealed.ciphertext, wrapped_key: sealed.wrappedKey, key_id: sealed.keyId, aad_version: 2, created_at: input.at, created_by: input.actor })
      .execute();
    await trx
      .updateTable("secrets")
      .set({ current_version: version, status: "active", updated_at: input.at, updated_by: input.actor })
      .where("id", "=", secret.id)
      .execute();
    // Keep the newest `keep` versions; older ciphertexts are deleted with the same transaction.
    await trx.deleteFrom("secret_versions").where("secret_id", "=", secret.id).where("version", "<=", version - keep).execute();
    return { kind: "ok", secretId: secret.id, version } as const;
  });
}
