import { sql, type Kysely } from "kysely";
import { isKeywardError, type Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";

export type ReadValueResult =
  /** `metadataJson`: what the type's validator derived when the version was stored (absent when nothing was). */
  | { kind: "ok"; value: string; version: number; metadataJson?: string }
  | { kind: "not_found" }
  | { kind: "no_value" }
  | { kind: "disabled" }
  /** The name is a signing key (issue #16): its key material is never read as a value. */
  | { kind: "signing_key" }
  /** The stored value failed a check that only a change to the database itself explains; it is withheld. */
  | { kind: "integrity"; problem: string };

/**
 * Decrypts the current version in one environment, or a given one (one query: the secret, that version and the newest
 * stored version number together). Refused as `integrity`: a current version that is not the newest
 * stored one (current_version moved back in the database), a value not sealed with the v2 binding,
 * and a ciphertext that does not open under its secret's id, name and version (rows or names swapped).
 * A signing key answers `signing_key` unless `as: "signing_key"` says the caller signs with it.
 */
export async function readSecretValue(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { environmentId: string; name: string; version?: number; as?: "secret" | "signing_key" },
): Promise<ReadValueResult> {
  const { name, version } = input;
  const row = await db
    .selectFrom("secrets as s")
    .leftJoin("secret_versions as v", (join) => {
      const bySecret = join.onRef("v.secret_id", "=", "s.id");
      return version === undefined ? bySecret.onRef("v.version", "=", "s.current_version") : bySecret.on("v.version", "=", version);
    })
    .leftJoin("signing_keys as k", "k.secret_id", "s.id")
    .select(["s.id", "s.name", "s.status", "s.current_version", "v.ciphertext", "v.wrapped_key", "v.key_id", "v.version", "v.aad_version", "v.metadata_json", "k.algorithm"])
    .select(sql<number | string | null>`(select max(n.version) from secret_versions n where n.secret_id = s.id)`.as("newest"))
    .where("s.name", "=", name)
    .where("s.environment_id", "=", input.environmentId)
    .executeTakeFirst();
  if (!row) return { kind: "not_found" };
  if (row.algorithm !== null && input.as !== "signing_key") return { kind: "signing_key" };
  if (row.status === "disabled") return { kind: "disabled" };
  const newest = row.newest === null ? 0 : Number(row.newest);
  if (version === undefined && newest > row.current_version) {
    return { kind: "integrity", problem: `current version ${row.current_version} is not the newest stored version ${newest}` };
  }
  if ((version ?? row.current_version) === 0) return { kind: "no_value" };
  if (row.ciphertext === null || row.wrapped_key === null || row.key_id === null || row.version === null) return { kind: "not_found" };
  if (row.aad_version !== 2) return { kind: "integrity", problem: `version ${row.version} is not sealed with the current binding (v${row.aad_version ?? "?"})` };
  // Rewrapped by another process after a rotation: load the new KEK once, then open.
  if (!envelope.hasKey(row.key_id)) await envelope.reload?.(db);
  try {
    const value = envelope.open({ ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrapped_key), keyId: row.key_id }, row.id, row.version, row.name);
    return { kind: "ok", value, version: row.version, ...(row.metadata_json !== null ? { metadataJson: row.metadata_json } : {}) };
  } catch (error) {
    if (isKeywardError(error) && error.code === "crypto") return { kind: "integrity", problem: `version ${row.version} does not open under this secret's id, name and version: ${error.message}` };
    throw error;
  }
}
