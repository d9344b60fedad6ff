import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatSignature, generateSigningKeyMaterial, parseSignature, signingPublicKey, signPayload, verifyEd25519, verifyPayload } from "../src/index.js";

const payload = Buffer.from("issue service account 42");

describe("named signing keys: material, signatures and their text form", () => {
  it("HMAC-SHA256 is the standard HMAC of the payload, verifies only the same payload and key, and has no public key", () => {
    const material = generateSigningKeyMaterial();
    expect(Buffer.from(material, "base64")).toHaveLength(32);
    const sig = signPayload("hmac-sha256", material, payload);
    expect(sig.equals(createHmac("sha256", Buffer.from(material, "base64")).update(payload).digest())).toBe(true);
    expect(verifyPayload("hmac-sha256", material, payload, sig)).toBe(true);
    expect(verifyPayload("hmac-sha256", material, Buffer.from("issue service account 43"), sig)).toBe(false);
    expect(verifyPayload("hmac-sha256", generateSigningKeyMaterial(), payload, sig)).toBe(false);
    expect(verifyPayload("hmac-sha256", material, payload, sig.subarray(0, 31))).toBe(false);
    expect(signingPublicKey("hmac-sha256", material)).toBeUndefined();
  });

  it("Ed25519 verifies with the public key alone, and refuses another payload or key", () => {
    const material = generateSigningKeyMaterial();
    const sig = signPayload("ed25519", material, payload);
    expect(sig).toHaveLength(64);
    const publicKey = signingPublicKey("ed25519", material)!;
    expect(Buffer.from(publicKey, "base64")).toHaveLength(32);
    expect(verifyEd25519(publicKey, payload, sig)).toBe(true);
    expect(verifyPayload("ed25519", material, payload, sig)).toBe(true);
    expect(verifyPayload("ed25519", material, Buffer.from("other"), sig)).toBe(false);
    expect(verifyPayload("ed25519", generateSigningKeyMaterial(), payload, sig)).toBe(false);
    expect(verifyPayload("ed25519", material, payload, Buffer.alloc(3))).toBe(false);
  });

  it("a signature string carries its key version, and anything else parses to undefined", () => {
    const raw = Buffer.from([0xfb, 0xff, 0x00, 0x01]);
    const text = formatSignature(7, raw);
    expect(text).toBe("kw1.7.-_8AAQ");
    expect(parseSignature(text)).toEqual({ version: 7, signature: raw });
    for (const bad of ["", "kw1.0.AAAA", "kw2.1.AAAA", "kw1.1.", "kw1.1.AA=A", "kw1.01.AAAA", "kw1.99999999999.AAAA", "kw1.1.AAAA.x", ` ${text}`]) {
      expect(parseSignature(bad), bad).toBeUndefined();
    }
  });
});
