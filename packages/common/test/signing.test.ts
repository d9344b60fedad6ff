import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { AUDIT_SIGNING_KEY_FILE, loadSigningKey, signingKeysFromSeed, signText, stageSigningKey, verifyText } from "../src/index.js";

describe("audit checkpoint signing (Ed25519)", () => {
  it("one stable key pair per seed, and signatures verify only for the same text and key", () => {
    const seed = randomBytes(32);
    const a = signingKeysFromSeed(seed);
    expect(signingKeysFromSeed(Buffer.from(seed)).publicKey).toBe(a.publicKey);
    expect(Buffer.from(a.publicKey, "base64")).toHaveLength(32);
    const other = signingKeysFromSeed(randomBytes(32));
    expect(other.publicKey).not.toBe(a.publicKey);
    const signature = signText(a.privateKey, "checkpoint 5");
    expect(verifyText(a.publicKey, "checkpoint 5", signature)).toBe(true);
    expect(verifyText(a.publicKey, "checkpoint 6", signature)).toBe(false);
    expect(verifyText(other.publicKey, "checkpoint 5", signature)).toBe(false);
    expect(verifyText("short", "checkpoint 5", signature)).toBe(false);
    expect(verifyText(a.publicKey, "checkpoint 5", "!!!")).toBe(false);
    expect(() => signingKeysFromSeed(randomBytes(16))).toThrow(/32 bytes, got 16/);
  });

  it("is its own key: from KEYWARD_AUDIT_SIGNING_KEY or audit-signing.key, unrelated to the audit key", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-"));
    const auditKey = randomBytes(32).toString("base64");
    const first = loadSigningKey({ env: { KEYWARD_AUDIT_KEY: auditKey }, dataDir: dir, allowCreate: true });
    expect(first.source).toBe("generated");
    expect((fs.statSync(path.join(dir, AUDIT_SIGNING_KEY_FILE)).mode & 0o777).toString(8)).toBe("600");
    // Another data dir with the same audit key gets another signing key: nothing derives one from the other.
    const elsewhere = loadSigningKey({ env: { KEYWARD_AUDIT_KEY: auditKey }, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-")), allowCreate: true });
    expect(elsewhere.signingKey.publicKey).not.toBe(first.signingKey.publicKey);
    const seed = randomBytes(32);
    const fromEnv = loadSigningKey({ env: { KEYWARD_AUDIT_SIGNING_KEY: seed.toString("base64") }, dataDir: dir, allowCreate: true });
    expect([fromEnv.source, fromEnv.signingKey.publicKey]).toEqual(["env", signingKeysFromSeed(seed).publicKey]);
    expect(() => loadSigningKey({ env: { KEYWARD_AUDIT_SIGNING_KEY: "short" }, dataDir: dir, allowCreate: true })).toThrow(/KEYWARD_AUDIT_SIGNING_KEY/);
    // Never created by a command that only reads: a missing file is named.
    expect(() => loadSigningKey({ env: {}, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-")), allowCreate: false })).toThrow(/audit-signing\.key/);
  });

  it("a generated key is staged beside its file until published: discarded, nothing is left for the next start", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-"));
    const file = path.join(dir, AUDIT_SIGNING_KEY_FILE);
    const staged = stageSigningKey({ env: {}, dataDir: dir });
    if (staged.source !== "generated") throw new Error(`expected a generated key, got ${staged.source}`);
    expect(fs.existsSync(file)).toBe(false);
    const [tmp] = fs.readdirSync(dir);
    expect(tmp).toMatch(/^audit-signing\.key\.new-/);
    expect((fs.statSync(path.join(dir, tmp!)).mode & 0o777).toString(8)).toBe("600");
    staged.discard();
    expect(fs.readdirSync(dir)).toEqual([]);

    // Published: the file holds the staged key, and the next start loads it as existing.
    const again = stageSigningKey({ env: {}, dataDir: dir });
    if (again.source !== "generated") throw new Error("expected a generated key");
    expect(again.signingKey.publicKey).not.toBe(staged.signingKey.publicKey);
    expect(again.publish().publicKey).toBe(again.signingKey.publicKey);
    expect(fs.readdirSync(dir)).toEqual([AUDIT_SIGNING_KEY_FILE]);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
    const loaded = stageSigningKey({ env: {}, dataDir: dir });
    expect([loaded.source, loaded.signingKey.publicKey]).toEqual(["file", again.signingKey.publicKey]);
  });

  it("two starts staging at once: the second publish keeps the first key, and stale staged files are cleaned", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-"));
    const stale = path.join(dir, `${AUDIT_SIGNING_KEY_FILE}.new-0123456789ab`);
    fs.writeFileSync(stale, randomBytes(32).toString("base64"), { mode: 0o600 });
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(stale, old, old);
    const a = stageSigningKey({ env: {}, dataDir: dir });
    const b = stageSigningKey({ env: {}, dataDir: dir });
    if (a.source !== "generated" || b.source !== "generated") throw new Error("expected generated keys");
    expect(fs.existsSync(stale)).toBe(false);
    expect(a.publish().publicKey).toBe(a.signingKey.publicKey);
    // b lost the race: it answers the key on disk, not its own, and leaves no staged file.
    expect(b.publish().publicKey).toBe(a.signingKey.publicKey);
    expect(fs.readdirSync(dir)).toEqual([AUDIT_SIGNING_KEY_FILE]);
    // From the environment nothing is staged or written.
    const seed = randomBytes(32);
    const fromEnv = stageSigningKey({ env: { KEYWARD_AUDIT_SIGNING_KEY: seed.toString("base64") }, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-")) });
    expect([fromEnv.source, fromEnv.signingKey.publicKey]).toEqual(["env", signingKeysFromSeed(seed).publicKey]);
  });

  it("a staged key left by a crash after its audit row is swept by later starts, even once a key is published", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-"));
    const crashed = stageSigningKey({ env: {}, dataDir: dir });
    if (crashed.source !== "generated") throw new Error("expected a generated key");
    // Killed before publish: the staged file stays; the next start publishes another key.
    const [left] = fs.readdirSync(dir);
    const next = stageSigningKey({ env: {}, dataDir: dir });
    if (next.source !== "generated") throw new Error("expected a generated key");
    next.publish();
    // Young staged files may belong to a start in progress: kept. An hour old: swept.
    expect(stageSigningKey({ env: {}, dataDir: dir }).source).toBe("file");
    expect(fs.readdirSync(dir).sort()).toEqual([AUDIT_SIGNING_KEY_FILE, left].sort());
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(dir, left!), old, old);
    expect(stageSigningKey({ env: {}, dataDir: dir }).source).toBe("file");
    expect(fs.readdirSync(dir)).toEqual([AUDIT_SIGNING_KEY_FILE]);
  });

  it("publishes by an exclusive copy where the volume has no hard links", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-signing-"));
    const link = vi.spyOn(fs, "linkSync").mockImplementation(() => {
      throw Object.assign(new Error("operation not permitted"), { code: "EPERM" });
    });
    try {
      const a = stageSigningKey({ env: {}, dataDir: dir });
      const b = stageSigningKey({ env: {}, dataDir: dir });
      if (a.source !== "generated" || b.source !== "generated") throw new Error("expected generated keys");
      expect(a.publish().publicKey).toBe(a.signingKey.publicKey);
      // The copy never replaces a published key either.
      expect(b.publish().publicKey).toBe(a.signingKey.publicKey);
      expect(link).toHaveBeenCalledTimes(2);
    } finally {
      link.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual([AUDIT_SIGNING_KEY_FILE]);
    expect((fs.statSync(path.join(dir, AUDIT_SIGNING_KEY_FILE)).mode & 0o777).toString(8)).toBe("600");
    expect(stageSigningKey({ env: {}, dataDir: dir }).source).toBe("file");
  });
});
