import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { KeywardError } from "../errors/index.js";

// PKCS#8 DER header for a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface SigningKeys {
  privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key, base64: what a checkpoint carries and a verifier pins. */
  publicKey: string;
}

/**
 * The Ed25519 key pair of a 32-byte seed: the key that signs audit checkpoints. It is its own key
 * (KEYWARD_AUDIT_SIGNING_KEY or audit-signing.key), not derived from the audit chain's HMAC key, so
 * whoever holds the HMAC key (and could rewrite the chain) cannot also sign a checkpoint for it; its
 * public half lets anyone check a checkpoint without either key.
 */
export function signingKeysFromSeed(seed: Uint8Array): SigningKeys {
  if (seed.length !== 32) throw new KeywardError("crypto", `an Ed25519 signing seed is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return { privateKey, publicKey: Buffer.from(jwk.x!, "base64url").toString("base64") };
}

export function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, "utf8"), privateKey).toString("base64");
}

/** False for a bad signature or a malformed key or signature; never throws. */
export function verifyText(publicKey: string, text: string, signature: string): boolean {
  return verifyEd25519(publicKey, Buffer.from(text, "utf8"), Buffer.from(signature, "base64"));
}

/** Ed25519 over raw bytes with a raw 32-byte public key (base64). False for anything malformed; never throws. */
export function verifyEd25519(publicKey: string, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    const raw = Buffer.from(publicKey, "base64");
    if (raw.length !== 32) return false;
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
    return verify(null, payload, key, signature);
  } catch {
    return false;
  }
}
