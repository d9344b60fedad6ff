import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { KeywardError } from "../errors/index.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM; output is nonce ‖ ciphertext ‖ tag. */
export function aesGcmEncrypt(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function aesGcmDecrypt(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  const buf = Buffer.from(sealed);
  if (buf.length < NONCE_BYTES + TAG_BYTES) throw new KeywardError("crypto", "ciphertext is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, buf.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    // Wrong key, tampered bytes, or a row moved to another secret: all look the same to GCM.
    throw new KeywardError("crypto", "decryption failed: wrong key, or the data or its binding was altered", { cause });
  }
}

/** A key-encryption key with a stable id derived from it (a fingerprint, not the key). */
export interface Kek {
  id: string;
  key: Buffer;
}

export function kekFromKey(key: Buffer): Kek {
  const id = "kek_" + createHash("sha256").update("keyward kek id\0").update(key).digest("hex").slice(0, 16);
  return { id, key };
}

/**
 * The master (root) key's check value: a fingerprint stored with the database so that a wrong key
 * or passphrase is named at start, instead of failing later on the first decryption.
 */
export function masterKeyFingerprint(key: Uint8Array): string {
  return "mk_" + createHash("sha256").update("keyward master key check\0").update(key).digest("hex").slice(0, 16);
}

const kekAad = (kekId: string) => `keyward:kek:v1:${kekId}`;

/** Wraps a KEK version under the master key, bound to its id so wrapped keys cannot be swapped. */
export function wrapKek(master: Uint8Array, kek: Kek): Buffer {
  return aesGcmEncrypt(master, kek.key, kekAad(kek.id));
}

export function unwrapKek(master: Uint8Array, kekId: string, wrapped: Uint8Array): Kek {
  const key = aesGcmDecrypt(master, wrapped, kekAad(kekId));
  if (kekFromKey(key).id !== kekId) throw new KeywardError("crypto", `key ${kekId} unwrapped to a key with another id`);
  return { id: kekId, key };
}

export interface SealedValue {
  ciphertext: Buffer;
  wrappedKey: Buffer;
  keyId: string;
}

/**
 * The AAD that binds a value to its secret row, name and version, so ciphertexts cannot be moved
 * between rows or versions, nor a secret renamed in the database to serve another's value (v2).
 * Without a name it is v1 (row and version only): how values were sealed before v2, read only to
 * upgrade them (see upgradeValueBindings in @keyward/db).
 */
export const valueAad = (secretId: string, version: number, name?: string) =>
  name === undefined ? `keyward:value:v1:${secretId}:${version}` : `keyward:value:v2:${secretId}:${JSON.stringify(name)}:${version}`;
const dekAad = (secretId: string, version: number) => `keyward:dek:v1:${secretId}:${version}`;

/**
 * Envelope encryption: each value gets its own random data key; the data key is wrapped by the KEK.
 * Rotating the KEK then only rewraps data keys, never re-encrypts values.
 */
export interface Envelope {
  readonly activeKeyId: string;
  /** Seals under the v2 binding (row, name, version); without `name`, the legacy v1 binding. */
  seal(plaintext: string, secretId: string, version: number, name?: string): SealedValue;
  open(sealed: SealedValue, secretId: string, version: number, name?: string): string;
  /** Whether a KEK with this id is loaded. */
  hasKey(keyId: string): boolean;
  /** Re-wraps a value's data key under the active KEK; the value's ciphertext is untouched. */
  rewrap(wrapped: { wrappedKey: Buffer; keyId: string }, secretId: string, version: number): { wrappedKey: Buffer; keyId: string };
  /** Reloads the KEKs from their store (set by the db keyring), e.g. after another process rotated them. */
  /**
   * `via` is the database handle to read them with (opaque here): a caller inside a transaction
   * passes it, since another connection may not be free (PGlite has one).
   */
  reload?(via?: unknown): Promise<void>;
}

export function createEnvelope(options: { active: Kek; others?: Kek[] }): Envelope {
  const keys = new Map<string, Kek>([[options.active.id, options.active], ...(options.others ?? []).map((k) => [k.id, k] as const)]);
  const unwrapDek = (wrapped: { wrappedKey: Buffer; keyId: string }, secretId: string, version: number) => {
    const kek = keys.get(wrapped.keyId);
    if (!kek) throw new KeywardError("crypto", `no master key with id ${wrapped.keyId} is loaded`);
    return aesGcmDecrypt(kek.key, wrapped.wrappedKey, dekAad(secretId, version));
  };
  return {
    activeKeyId: options.active.id,
    seal(plaintext, secretId, version, name) {
      const dek = randomBytes(32);
      try {
        return {
          ciphertext: aesGcmEncrypt(dek, Buffer.from(plaintext, "utf8"), valueAad(secretId, version, name)),
          wrappedKey: aesGcmEncrypt(options.active.key, dek, dekAad(secretId, version)),
          keyId: options.active.id,
        };
      } finally {
        dek.fill(0);
      }
    },
    hasKey: (keyId) => keys.has(keyId),
    rewrap(wrapped, secretId, version) {
      const dek = unwrapDek(wrapped, secretId, version);
      try {
        return { wrappedKey: aesGcmEncrypt(options.active.key, dek, dekAad(secretId, version)), keyId: options.active.id };
      } finally {
        dek.fill(0);
      }
    },
    open(sealed, secretId, version, name) {
      const dek = unwrapDek(sealed, secretId, version);
      try {
        return aesGcmDecrypt(dek, sealed.ciphertext, valueAad(secretId, version, name)).toString("utf8");
      } finally {
        dek.fill(0);
      }
    },
  };
}
