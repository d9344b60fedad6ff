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
  | { kind: "version_conflict"; currentVersion: number }
  /** The value broke its type's or its declared rules; `problem` names the rule, never the value. */
  | { kind: "invalid"; problem: string };

/** What a value is checked against: the secret's type and the rules its app declared (JSON, or null). */
export interface ValueRules {
  type: string;
  rulesJson: string | null;
}

/**
 * Checks a value against its secret's rules inside the write's transaction (so a concurrent change
 * of the type cannot slip between check and write). Accepted values come with the non-secret
 * metadata stored beside the version.
 */
export type ValueCheck = (value: string, rules: ValueRules) => { ok: true; metadata: Record<string, string | number | boolean> } | { ok: false; problem: string };

/**
 * Stores a new encrypted version of a secret in one environment and makes it current, in one transaction (the caller's, when `db`
 * is one). The row lock on the secret serialises writers and makes the disabled check part of the
 * write, so a concurrent disable cannot be undone by it; `expectedVersion` refuses lost updates.
 */
export async function setSecretValue(
  db: Kysely<Database>,
  envelope: Envelope,
  input: {
    environmentId: string;
    name: string;
    value: string;
    actor: string;
    at: Date;
    expectedVersion?: number;
    keepVersions?: number;
    /** Validates the value (the server always passes one); without it the value is stored unchecked. */
    check?: ValueCheck;
    /** Metadata to store when no check derives it (a rollback or promotion copies the source version's). */
    metadataJson?: string | null;
  },
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
    const secret = await trx
      .selectFrom("secrets")
      .innerJoin("secret_definitions as d", "d.name", "secrets.name")
      .select(["secrets.id", "secrets.current_version", "secrets.status", "d.type", "d.rules_json"])
      .where("secrets.name", "=", input.name)
      .where("secrets.environment_id", "=", input.environmentId)
      .forUpdate("secrets")
      .executeTakeFirst();
    if (!secret) return { kind: "not_found" } as const;
    if (secret.status === "disabled") return { kind: "disabled" } as const;
    if (input.expectedVersion !== undefined && input.expectedVersion !== secret.current_version) {
      return { kind: "version_conflict", currentVersion: secret.current_version } as const;
    }
    let metadataJson = input.metadataJson ?? null;
    if (input.check) {
      const checked = input.check(input.value, { type: secret.type, rulesJson: secret.rules_json });
      if (!checked.ok) return { kind: "invalid", problem: checked.problem } as const;
      metadataJson = Object.keys(checked.metadata).length > 0 ? JSON.stringify(checked.metadata) : null;
    }
    const version = secret.current_version + 1;
    const sealed = envelope.seal(input.value, secret.id, version, input.name);
    await trx
      .insertInto("secret_versions")
      .values({ secret_id: secret.id, version, ciphertext: sealed.ciphertext, wrapped_key: sealed.wrappedKey, key_id: sealed.keyId, aad_version: 2, metadata_json: metadataJson, created_at: input.at, created_by: input.actor })
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
