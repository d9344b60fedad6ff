import { createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from "node:crypto";

// PKCS#8 DER header for a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface SigningKeys {
  privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key, base64: what a checkpoint carries and a verifier pins. */
  publicKey: string;
}

/**
 * The Ed25519 key that signs audit checkpoints, derived from the audit key (HKDF-SHA256) so there is
 * no extra secret to store; its public half lets anyone check a checkpoint without the audit key.
 */
export function auditSigningKeys(auditKey: Uint8Array): SigningKeys {
  const seed = Buffer.from(hkdfSync("sha256", auditKey, Buffer.alloc(0), "keyward audit checkpoint ed25519 v1", 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return { privateKey, publicKey: Buffer.from(jwk.x!, "base64url").toString("base64") };
}

export function signText(privateKey: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, "utf8"), privateKey).toString("base64");
}

/** False for a bad signature or a malformed key or signature; never throws. */
export function verifyText(publicKey: string, text: string, signature: string): boolean {
  try {
    const raw = Buffer.from(publicKey, "base64");
    if (raw.length !== 32) return false;
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
    return verify(null, Buffer.from(text, "utf8"), key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
