import type { Kysely } from "kysely";
import type { Database, KeyStatus } from "../../schema.js";

export interface KeyringStatus {
  keys: { id: string; version: number; status: KeyStatus; dataKeys: number; createdAt: Date; retiredAt: Date | null }[];
  /** Data keys wrapped by the active KEK, and by any other. */
  onActive: number;
  remaining: number;
  /** key_ids found on data keys that the keyring does not know (should be empty). */
  unknownKeyIds: string[];
}

/** Rewrap progress, derived from the rows (key_id) rather than from any stored counter. */
export async function getKeyringStatus(db: Kysely<Database>): Promise<KeyringStatus> {
  const keys = await db.selectFrom("encryption_keys").select(["id", "version", "status", "created_at", "retired_at"]).orderBy("version").execute();
  const counts = await db.selectFrom("secret_versions").select(["key_id", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("key_id").execute();
  const byKey = new Map(counts.map((c) => [c.key_id, Number(c.n)]));
  const active = keys.find((k) => k.status === "active")?.id;
  const total = counts.reduce((sum, c) => sum + Number(c.n), 0);
  const onActive = active ? (byKey.get(active) ?? 0) : 0;
  return {
    keys: keys.map((k) => ({ id: k.id, version: k.version, status: k.status, dataKeys: byKey.get(k.id) ?? 0, createdAt: k.created_at, retiredAt: k.retired_at })),
    onActive,
    remaining: total - onActive,
    unknownKeyIds: [...byKey.keys()].filter((id) => !keys.some((k) => k.id === id)),
  };
}
