import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  deriveKeyFromPassphrase,
  kekFromKey,
  KeywardError,
  loadServiceKeys,
  masterKeyFingerprint,
  masterKeySource,
  newScryptParams,
  parseScryptParams,
  scryptCostFromEnv,
  unwrapKek,
  wrapKek,
} from "../src/index.js";

// Small scrypt costs keep the tests quick; the default is 2^17.
const cheap = () => newScryptParams({ N: 2 ** 10, r: 8, p: 1 });
const passphrase = "correct horse battery staple";
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kw-pass-"));

describe("passphrase master key", () => {
  it("derives the same key from the same passphrase and params, another from another salt or passphrase", () => {
    const params = cheap();
    const a = deriveKeyFromPassphrase(passphrase, params);
    expect(a).toHaveLength(32);
    expect(deriveKeyFromPassphrase(passphrase, parseScryptParams(JSON.stringify(params))).equals(a)).toBe(true);
    expect(deriveKeyFromPassphrase(passphrase, cheap()).equals(a)).toBe(false);
    expect(deriveKeyFromPassphrase(passphrase + "!", params).equals(a)).toBe(false);
  });

  it("loads through loadServiceKeys with source passphrase, and a wrong passphrase gives another fingerprint", () => {
    const params = cheap();
    const dir = tmp();
    const keys = loadServiceKeys({ env: { KEYWARD_MASTER_PASSPHRASE: passphrase }, dataDir: dir, allowCreate: true, kdf: params });
    expect(keys.kekSource).toBe("passphrase");
    expect(fs.existsSync(path.join(dir, "master.key"))).toBe(false);
    const wrong = loadServiceKeys({ env: { KEYWARD_MASTER_PASSPHRASE: "another passphrase entirely" }, dataDir: dir, allowCreate: true, kdf: params });
    expect(masterKeyFingerprint(wrong.kek.key)).not.toBe(masterKeyFingerprint(keys.kek.key));
  });

  it("names a short passphrase, both sources set, and missing params, never echoing the passphrase", () => {
    try {
      deriveKeyFromPassphrase("short-pw", cheap());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KeywardError);
      expect((e as Error).message).toMatch(/KEYWARD_MASTER_PASSPHRASE is 8 characters long; use at least 12/);
      expect((e as Error).message).not.toContain("short-pw");
    }
    expect(() => masterKeySource({ KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_MASTER_PASSPHRASE: passphrase })).toThrow(/either KEYWARD_MASTER_KEY or KEYWARD_MASTER_PASSPHRASE/);
    expect(masterKeySource({})).toBe("file");
    expect(() => loadServiceKeys({ env: { KEYWARD_MASTER_PASSPHRASE: passphrase }, dataDir: tmp(), allowCreate: true })).toThrow(/KDF parameters/);
  });

  it("refuses damaged stored params by name", () => {
    expect(() => parseScryptParams("{")).toThrow(/not JSON/);
    expect(() => parseScryptParams(JSON.stringify({ ...cheap(), kdf: "md5" }))).toThrow(/only scrypt/);
    expect(() => parseScryptParams(JSON.stringify({ ...cheap(), N: 1000 }))).toThrow(/power of two/);
    expect(() => parseScryptParams(JSON.stringify({ ...cheap(), salt: "" }))).toThrow(/salt/);
  });
});

describe("KEK versions wrapped by the master key", () => {
  it("round-trip, and refuse another master key or a wrapped key moved to another id", () => {
    const master = randomBytes(32);
    const kek = kekFromKey(randomBytes(32));
    const wrapped = wrapKek(master, kek);
    expect(wrapped.includes(kek.key)).toBe(false);
    expect(unwrapKek(master, kek.id, wrapped).key.equals(kek.key)).toBe(true);
    expect(() => unwrapKek(randomBytes(32), kek.id, wrapped)).toThrow(/decryption failed/);
    expect(() => unwrapKek(master, "kek_0000000000000000", wrapped)).toThrow(KeywardError);
  });

  it("fingerprints name a key without revealing it", () => {
    const key = randomBytes(32);
    const fp = masterKeyFingerprint(key);
    expect(fp).toMatch(/^mk_[0-9a-f]{16}$/);
    expect(fp).toBe(masterKeyFingerprint(Buffer.from(key)));
    expect(fp).not.toContain(key.toString("hex").slice(0, 16));
  });
});

describe("scrypt cost for a new passphrase (KEYWARD_PASSPHRASE_SCRYPT_N)", () => {
  it("defaults to 2^17, takes a power of two from 2^14 to 2^20, and names anything else", () => {
    expect(scryptCostFromEnv({})).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(scryptCostFromEnv({ KEYWARD_PASSPHRASE_SCRYPT_N: " " })).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(scryptCostFromEnv({ KEYWARD_PASSPHRASE_SCRYPT_N: "16384" })).toEqual({ N: 16384, r: 8, p: 1 });
    expect(scryptCostFromEnv({ KEYWARD_PASSPHRASE_SCRYPT_N: "1048576" }).N).toBe(2 ** 20);
    for (const bad of ["8192", "2097152", "100000", "65536.0x", "lots", "-16384"]) {
      const error = (() => {
        try {
          scryptCostFromEnv({ KEYWARD_PASSPHRASE_SCRYPT_N: bad });
        } catch (e) {
          return e as KeywardError;
        }
        return undefined;
      })();
      expect(error, bad).toBeInstanceOf(KeywardError);
      expect(error!.field).toBe("KEYWARD_PASSPHRASE_SCRYPT_N");
      expect(error!.message).toMatch(/must be a power of two from 16384 to 1048576/);
    }
  });

  it("new params carry the chosen cost, and a key derives with it", () => {
    const params = newScryptParams(scryptCostFromEnv({ KEYWARD_PASSPHRASE_SCRYPT_N: "16384" }));
    expect(params).toMatchObject({ kdf: "scrypt", N: 16384, r: 8, p: 1 });
    expect(deriveKeyFromPassphrase(passphrase, parseScryptParams(JSON.stringify(params)))).toHaveLength(32);
  });
});
