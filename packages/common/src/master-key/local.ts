import { type Kek, kekFromKey, masterKeyFingerprint, unwrapKek, wrapKek } from "../crypto/envelope.js";
import { KeywardError } from "../errors/index.js";
import type { MasterKeyKind, MasterKeySource } from "./types.js";

/** A master key held locally (master.key, KEYWARD_MASTER_KEY or a passphrase): AES-256-GCM wrapping bound to the KEK id. */
export function localMasterKey(key: Buffer, kind: Extract<MasterKeyKind, "file" | "env" | "passphrase" | "generated"> = "file", where?: string): MasterKeySource {
  if (key.length !== 32) throw new KeywardError("invalid_argument", `a master key must be 32 bytes, got ${key.length}`);
  const fingerprint = masterKeyFingerprint(key);
  const label = where ?? (kind === "env" ? "KEYWARD_MASTER_KEY" : kind === "passphrase" ? "KEYWARD_MASTER_PASSPHRASE" : "master.key");
  return {
    kind,
    fingerprint,
    describe: () => `${kind === "generated" ? "file" : kind} ${label} (${fingerprint})`,
    wrapKek: async (kek: Kek) => wrapKek(key, kek),
    unwrapKek: async (kekId: string, wrapped: Uint8Array) => unwrapKek(key, kekId, wrapped),
    health: async () => ({ status: "ok", summary: `local key ${label} (${fingerprint})` }),
    legacyKek: () => kekFromKey(key),
  };
}

/** Buffers are local master keys (the form every caller used before external sources). */
export function asMasterKeySource(master: Buffer | MasterKeySource): MasterKeySource {
  return Buffer.isBuffer(master) ? localMasterKey(master) : master;
}
