import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";

export type ReadValueResult =
  | { kind: "ok"; value: string; version: number }
  | { kind: "not_found" }
  | { kind: "no_value" }
  | { kind: "disabled" };

/** Decrypts the current version, or a given one (one query: the secret and that version together). */
export async function readSecretValue(db: Kysely<Database>, envelope: Envelope, name: string, version?: number): Promise<ReadValueResult> {
  const row = await db
    .selectFrom("secrets as s")
    .leftJoin("secret_versions as v", (join) => {
      const bySecret = join.onRef("v.secret_id", "=", "s.id");
      return version === undefined ? bySecret.onRef("v.version", "=", "s.current_version") : bySecret.on("v.version", "=", version);
    })
    .select(["s.id", "s.status", "s.current_version", "v.ciphertext", "v.wrapped_key", "v.key_id", "v.version"])
    .where("s.name", "=", name)
    .executeTakeFirst();
  if (!row) return { kind: "not_found" };
  if (row.status === "disabled") return { kind: "disabled" };
  if ((version ?? row.current_version) === 0) return { kind: "no_value" };
  if (row.ciphertext === null || row.wrapped_key === null || row.key_id === null || row.version === null) return { kind: "not_found" };
  // Rewrapped by another process after a rotation: load the new KEK once, then open.
  if (!envelope.hasKey(row.key_id)) await envelope.reload?.(db);
  const value = envelope.open({ ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, row.id, row.version);
  return { kind: "ok", value, version: row.version };
}
