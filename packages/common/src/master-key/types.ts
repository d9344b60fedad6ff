import type { Kek } from "../crypto/envelope.js";

/** Where the master key lives: a local key (file, env, passphrase) or an external key that never leaves its service. */
export type MasterKeyKind = "file" | "env" | "passphrase" | "generated" | "aws-kms" | "azure-key-vault" | "vault-transit";

export type MasterKeyHealth = { status: "ok"; summary: string } | { status: "unavailable"; summary: string };

/**
 * The root of the keyring: it wraps and unwraps the KEK versions stored in `encryption_keys`.
 * Local sources hold a 32-byte key in memory; external ones (AWS KMS, Azure Key Vault, Vault
 * Transit) send the KEK to the key service, so the master key itself never reaches Keyward.
 * Errors name the source (describe()) and the failure, never key material.
 */
export interface MasterKeySource {
  readonly kind: MasterKeyKind;
  /** The check value stored with the database (`mk_…`): a hash of a local key, or of an external key's identity. */
  readonly fingerprint: string;
  /** For messages: which key, e.g. `aws-kms key arn:aws:kms:…` or `file /var/lib/keyward/master.key`; never key material. */
  describe(): string;
  wrapKek(kek: Kek): Promise<Buffer>;
  unwrapKek(kekId: string, wrapped: Uint8Array): Promise<Kek>;
  /** Reachable and able to wrap and unwrap a probe key; a summary naming the source and any error. */
  health(): Promise<MasterKeyHealth>;
  /**
   * Only local sources: the master key adopted as a KEK for values written before the keyring
   * (rows with no wrapped key). External sources have no such key.
   */
  legacyKek?(): Kek;
}
