import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";

export type ReadValueResult =
  | { kind: "ok"; value: string; version: number }
  | { kind: "not_found" }
  | { kind: "no_value" }
  | { kind: "disabled" };

/** Decrypts the current version, or a given one. */
export async function readSecretValue(db: Kysely<Database>, envelope: Envelope, name: string, version?: number): Promise<ReadValueResult> {
  const secret = await db.selectFrom("secrets").select(["id", "status", "current_version"]).where("name", "=", name).executeTakeFirst();
  if (!secret) return { kind: "not_found" };
  if (secret.status === "disabled") return { kind: "disabled" };
  const wanted = version ?? secret.current_version;
  if (wanted === 0) return { kind: "no_value" };
  const row = await db
    .selectFrom("secret_versions")
    .select(["ciphertext", "wrapped_key", "key_id", "version"])
    .where("secret_id", "=", secret.id)
    .where("version", "=", wanted)
    .executeTakeFirst();
  if (!row) return { kind: "not_found" };
  // Rewrapped by another process after a rotation: load the new KEK once, then open.
  if (!envelope.hasKey(row.key_id)) await envelope.reload?.();
  const value = envelope.open({ ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, secret.id, row.version);
  return { kind: "ok", value, version: row.version };
}
