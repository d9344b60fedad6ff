import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createEnvelope,
  generateToken,
  hashToken,
  hashesEqual,
  kekFromKey,
  KeywardError,
  loadServiceKeys,
  SERVICE_TOKEN_PREFIX,
  tokenShapeProblem,
} from "../src/index.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kw-common-"));

describe("envelope encryption", () => {
  const kek = kekFromKey(randomBytes(32));
  const envelope = createEnvelope({ active: kek });

  it("round-trips a value and keeps no plaintext in the sealed bytes", () => {
    const sealed = envelope.seal("sk_live_round_trip", "sec-1", 1);
    expect(sealed.keyId).toBe(kek.id);
    expect(sealed.ciphertext.includes(Buffer.from("sk_live_round_trip"))).toBe(false);
    expect(envelope.open(sealed, "sec-1", 1)).toBe("sk_live_round_trip");
  });

  it("refuses a ciphertext moved to another secret or version (AAD binding)", () => {
    const sealed = envelope.seal("bound", "sec-1", 1);
    expect(() => envelope.open(sealed, "sec-2", 1)).toThrow(KeywardError);
    expect(() => envelope.open(sealed, "sec-1", 2)).toThrow(/binding was altered/);
  });

  it("refuses a tampered ciphertext and an unknown key id", () => {
    const sealed = envelope.seal("tamper", "s", 1);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[14] = flipped[14]! ^ 1;
    expect(() => envelope.open({ ...sealed, ciphertext: flipped }, "s", 1)).toThrow(KeywardError);
    expect(() => envelope.open({ ...sealed, keyId: "kek_nope" }, "s", 1)).toThrow(/kek_nope/);
  });

  it("old KEKs still decrypt after a new one becomes active", () => {
    const sealed = envelope.seal("old", "s", 1);
    const next = createEnvelope({ active: kekFromKey(randomBytes(32)), others: [kek] });
    expect(next.activeKeyId).not.toBe(kek.id);
    expect(next.open(sealed, "s", 1)).toBe("old");
  });
});

describe("service keys", () => {
  it("generates key files with mode 0600 on first start and reuses them", () => {
    const dir = tmp();
    const first = loadServiceKeys({ env: {}, dataDir: dir, allowCreate: true });
    expect(first.kekSource).toBe("generated");
    expect(fs.statSync(path.join(dir, "master.key")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, "audit.key")).mode & 0o777).toBe(0o600);
    const again = loadServiceKeys({ env: {}, dataDir: dir, allowCreate: true });
    expect(again.kekSource).toBe("file");
    expect(again.kek.id).toBe(first.kek.id);
    expect(again.auditKey.equals(first.auditKey)).toBe(true);
    expect(again.auditKey.equals(first.kek.key)).toBe(false);
  });

  it("takes KEYWARD_MASTER_KEY from the environment", () => {
    const key = randomBytes(32);
    const keys = loadServiceKeys({ env: { KEYWARD_MASTER_KEY: key.toString("base64") }, dataDir: tmp(), allowCreate: true });
    expect(keys.kekSource).toBe("env");
    expect(keys.kek.key.equals(key)).toBe(true);
  });

  it("names a bad KEYWARD_MASTER_KEY without echoing it", () => {
    const bad = randomBytes(16).toString("base64");
    try {
      loadServiceKeys({ env: { KEYWARD_MASTER_KEY: bad }, dataDir: tmp(), allowCreate: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KeywardError);
      const message = (e as Error).message;
      expect(message).toContain("KEYWARD_MASTER_KEY");
      expect(message).toContain("32 bytes");
      expect(message).not.toContain(bad);
    }
    expect(() => loadServiceKeys({ env: { KEYWARD_MASTER_KEY: "not base64 !!" }, dataDir: tmp(), allowCreate: true })).toThrow(/not base64/);
  });

  it("refuses a key file that others can read, and a missing one when creation is off", () => {
    const dir = tmp();
    loadServiceKeys({ env: {}, dataDir: dir, allowCreate: true });
    fs.chmodSync(path.join(dir, "master.key"), 0o644);
    expect(() => loadServiceKeys({ env: {}, dataDir: dir, allowCreate: false })).toThrow(/chmod 600/);
    expect(() => loadServiceKeys({ env: {}, dataDir: tmp(), allowCreate: false })).toThrow(/does not exist/);
  });
});

describe("tokens", () => {
  it("generates prefixed 256-bit tokens and compares hashes in constant time", () => {
    const a = generateToken(SERVICE_TOKEN_PREFIX);
    const b = generateToken(SERVICE_TOKEN_PREFIX);
    expect(a).not.toBe(b);
    expect(tokenShapeProblem(a, SERVICE_TOKEN_PREFIX)).toBeUndefined();
    expect(Buffer.from(a.slice(4), "base64url")).toHaveLength(32);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashesEqual(hashToken(a), hashToken(a))).toBe(true);
    expect(hashesEqual(hashToken(a), hashToken(b))).toBe(false);
    expect(hashesEqual(hashToken(a), "")).toBe(false);
    // Stored hashes must never change: SHA-256 of the UTF-8 text, as FIPS 180-2's "abc" vector.
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashToken("kws_ü✓")).toBe(createHash("sha256").update(Buffer.from("kws_ü✓", "utf8")).digest("hex"));
  });

  it("explains a malformed token without echoing it", () => {
    expect(tokenShapeProblem("", SERVICE_TOKEN_PREFIX)).toBe("the token is empty");
    const problem = tokenShapeProblem("kws_short-secret-ish", SERVICE_TOKEN_PREFIX);
    expect(problem).toMatch(/43 base64url/);
    expect(problem).not.toContain("short-secret-ish");
  });
});

describe("rewrapping a data key", () => {
  it("moves the data key to the active KEK without touching the ciphertext", () => {
    const old = kekFromKey(randomBytes(32));
    const sealed = createEnvelope({ active: old }).seal("rewrap-me", "s", 3);
    const newKek = kekFromKey(randomBytes(32));
    const next = createEnvelope({ active: newKek, others: [old] });
    expect(next.hasKey(old.id)).toBe(true);
    const moved = next.rewrap(sealed, "s", 3);
    expect(moved.keyId).toBe(newKek.id);
    expect(moved.wrappedKey.equals(sealed.wrappedKey)).toBe(false);
    // Only the new KEK is needed now, and the value's ciphertext bytes are unchanged.
    const onlyNew = createEnvelope({ active: newKek });
    expect(onlyNew.hasKey(old.id)).toBe(false);
    expect(onlyNew.open({ ...sealed, ...moved }, "s", 3)).toBe("rewrap-me");
    expect(() => next.rewrap(sealed, "s", 4)).toThrow(KeywardError);
    expect(() => createEnvelope({ active: kekFromKey(randomBytes(32)) }).rewrap(sealed, "s", 3)).toThrow(/no master key with id/);
  });
});
