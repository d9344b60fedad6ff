import { createCipheriv, createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, privateDecrypt, publicEncrypt, constants, randomBytes, type KeyObject } from "node:crypto";
import { deriveKeyFromPassphrase, KeywardError, newScryptParams, parseScryptParams } from "@keyward/common";
import type { KeyWrap } from "./format.js";

const WRAP_AAD = Buffer.from("keyward-backup-v1 content key", "ascii");
const HKDF_INFO = Buffer.from("keyward-backup-v1 x25519", "ascii");

/** The one message for a wrong key, a wrong passphrase and a damaged file: they cannot be told apart, and nothing is written. */
export const DAMAGED_OR_WRONG_KEY = "the archive is damaged or the key is wrong";

/** SHA-256 of the public key's SPKI DER, hex: what a header names its recipient by. */
export function publicKeyFingerprint(key: KeyObject): string {
  return createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("hex");
}

function seal(kek: Buffer, contentKey: Buffer): { iv: string; wrappedKey: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek, iv);
  cipher.setAAD(WRAP_AAD);
  const wrapped = Buffer.concat([cipher.update(contentKey), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString("base64"), wrappedKey: wrapped.toString("base64") };
}

function open(kek: Buffer, iv: string, wrappedKey: string): Buffer {
  try {
    const data = Buffer.from(wrappedKey, "base64");
    const decipher = createDecipheriv("aes-256-gcm", kek, Buffer.from(iv, "base64"));
    decipher.setAAD(WRAP_AAD);
    decipher.setAuthTag(data.subarray(data.length - 16));
    const key = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
    if (key.length !== 32) throw new Error("length");
    return key;
  } catch {
    throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
  }
}

function x25519Kek(shared: Buffer, ephemeral: Buffer, recipient: string): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephemeral, Buffer.from(recipient, "ascii")]), HKDF_INFO, 32));
}

/** Wraps the content key to a passphrase (scrypt with the given cost; the parameters go in the header). */
export function wrapToPassphrase(contentKey: Buffer, passphrase: string, cost: { N: number; r: number; p: number }): KeyWrap {
  const kdf = newScryptParams(cost);
  return { kind: "passphrase", kdf, ...seal(deriveKeyFromPassphrase(passphrase, kdf, "the passphrase on stdin"), contentKey) };
}

/** Wraps the content key to a recipient's public key: X25519 (ephemeral ECDH + HKDF + AES-GCM) or RSA-OAEP (SHA-256). */
export function wrapToRecipient(contentKey: Buffer, recipient: KeyObject): KeyWrap {
  const fingerprint = publicKeyFingerprint(recipient);
  if (recipient.asymmetricKeyType === "x25519") {
    const ephemeral = generateKeyPairSync("x25519");
    const ephemeralDer = ephemeral.publicKey.export({ type: "spki", format: "der" });
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
    return { kind: "x25519", recipient: fingerprint, ephemeralPublicKey: ephemeralDer.toString("base64"), ...seal(x25519Kek(shared, ephemeralDer, fingerprint), contentKey) };
  }
  const wrapped = publicEncrypt({ key: recipient, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, contentKey);
  return { kind: "rsa-oaep", recipient: fingerprint, wrappedKey: wrapped.toString("base64") };
}

export type Unwrapper = { kind: "passphrase"; passphrase: string } | { kind: "identity"; privateKey: KeyObject };

/** The content key from a header's wrap, or a KeywardError: the wrong kind of key, a wrong recipient, or DAMAGED_OR_WRONG_KEY. */
export function unwrapContentKey(wrap: KeyWrap, with_: Unwrapper): Buffer {
  if (wrap.kind === "passphrase") {
    if (with_.kind !== "passphrase") throw new KeywardError("invalid_argument", "the archive is encrypted to a passphrase: pass --passphrase-stdin", { field: "--passphrase-stdin" });
    let kdf;
    try {
      kdf = parseScryptParams(JSON.stringify(wrap.kdf));
    } catch {
      throw new KeywardError("invalid_argument", DAMAGED_OR_WRONG_KEY);
    }
    if (kdf.N > 2 ** 20 || kdf.r > 32 || kdf.p > 16) throw new KeywardError("invalid_argument", `${DAMAGED_OR_WRONG_KEY} (its scrypt parameters are beyond what Keyward writes)`);
    return open(deriveKeyFromPassphrase(with_.passphrase, kdf, "the passphrase on stdin"), wrap.iv, wrap.wrappedKey);
  }
  if (with_.kind !== "identity") throw new KeywardError("invalid_argument", `the archive is encrypted to a ${wrap.kind === "x25519" ? "X25519" : "RSA"} key (fingerprint ${wrap.recipient}): pass --identity PRIVKEY_FILE`, { field: "--identity" });
  const publicKey = createPublicKey(with_.privateKey);
  const fingerprint = publicKeyFingerprint(publicKey);
  if (fingerprint !== wrap.recipient) {
    throw new KeywardError("invalid_argument", `--identity is not the archive's recipient: the archive is for the key with fingerprint ${wrap.recipient}, this one is ${fingerprint}`, { field: "--identity" });
  }
  if (wrap.kind === "x25519") {
    try {
      const ephemeralDer = Buffer.from(wrap.ephemeralPublicKey, "base64");
      const ephemeral = createPublicKey({ key: ephemeralDer, format: "der", type: "spki" });
      const shared = diffieHellman({ privateKey: with_.privateKey, publicKey: ephemeral });
      return open(x25519Kek(shared, ephemeralDer, fingerprint), wrap.iv, wrap.wrappedKey);
    } catch {
      throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
    }
  }
  try {
    const key = privateDecrypt({ key: with_.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, Buffer.from(wrap.wrappedKey, "base64"));
    if (key.length !== 32) throw new Error("length");
    return key;
  } catch {
    throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
  }
}
