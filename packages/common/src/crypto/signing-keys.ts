import { createHmac, randomBytes, sign, timingSafeEqual } from "node:crypto";
import { signingKeysFromSeed, verifyEd25519 } from "./signing.js";

/** The algorithms of named signing keys (issue #16): the admin API's and the proto's vocabulary. */
export const SIGNING_ALGORITHMS = ["hmac-sha256", "ed25519"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The most bytes one Sign or Verify accepts. */
export const MAX_SIGN_PAYLOAD_BYTES = 64 * 1024;

export const isSigningAlgorithm = (value: unknown): value is SigningAlgorithm => SIGNING_ALGORITHMS.includes(value as SigningAlgorithm);

/**
 * New key material, base64: 32 random bytes either way (the HMAC key, or the Ed25519 seed). It is
 * stored sealed like a secret value and never leaves Keyward.
 */
export function generateSigningKeyMaterial(): string {
  return randomBytes(32).toString("base64");
}

/** The raw 32-byte public key (base64) of an Ed25519 key; undefined for HMAC, which has none. */
export function signingPublicKey(algorithm: SigningAlgorithm, material: string): string | undefined {
  return algorithm === "ed25519" ? signingKeysFromSeed(Buffer.from(material, "base64")).publicKey : undefined;
}

/** The raw signature bytes of a payload. */
export function signPayload(algorithm: SigningAlgorithm, material: string, payload: Uint8Array): Buffer {
  const key = Buffer.from(material, "base64");
  if (algorithm === "hmac-sha256") return createHmac("sha256", key).update(payload).digest();
  return sign(null, payload, signingKeysFromSeed(key).privateKey);
}

/** Whether `signature` is this key's over the payload; HMACs compare in constant time. Never throws. */
export function verifyPayload(algorithm: SigningAlgorithm, material: string, payload: Uint8Array, signature: Uint8Array): boolean {
  if (algorithm === "hmac-sha256") {
    const expected = signPayload(algorithm, material, payload);
    return signature.length === expected.length && timingSafeEqual(expected, signature);
  }
  return verifyEd25519(signingPublicKey(algorithm, material)!, payload, signature);
}

const SIGNATURE = /^kw1\.([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{1,200})$/;

/** `kw1.<version>.<base64url signature>`: the key version travels with the signature, so rotation keeps old ones verifiable. */
export function formatSignature(version: number, signature: Uint8Array): string {
  return `kw1.${version}.${Buffer.from(signature).toString("base64url")}`;
}

/** The key version and raw bytes of a signature string, or undefined when it is not one. */
export function parseSignature(text: string): { version: number; signature: Buffer } | undefined {
  const match = SIGNATURE.exec(text);
  if (!match) return undefined;
  const version = Number(match[1]);
  if (version > 2 ** 31 - 1) return undefined;
  return { version, signature: Buffer.from(match[2]!, "base64url") };
}
