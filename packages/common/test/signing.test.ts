import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditSigningKeys, signText, verifyText } from "../src/index.js";

describe("audit checkpoint signing (Ed25519)", () => {
  it("derives one stable key pair per audit key, and signatures verify only for the same text and key", () => {
    const auditKey = randomBytes(32);
    const a = auditSigningKeys(auditKey);
    expect(auditSigningKeys(Buffer.from(auditKey)).publicKey).toBe(a.publicKey);
    expect(Buffer.from(a.publicKey, "base64")).toHaveLength(32);
    const other = auditSigningKeys(randomBytes(32));
    expect(other.publicKey).not.toBe(a.publicKey);
    const signature = signText(a.privateKey, "checkpoint 5");
    expect(verifyText(a.publicKey, "checkpoint 5", signature)).toBe(true);
    expect(verifyText(a.publicKey, "checkpoint 6", signature)).toBe(false);
    expect(verifyText(other.publicKey, "checkpoint 5", signature)).toBe(false);
    expect(verifyText("short", "checkpoint 5", signature)).toBe(false);
    expect(verifyText(a.publicKey, "checkpoint 5", "!!!")).toBe(false);
  });
});
