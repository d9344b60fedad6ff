import { defaultEnvironmentId } from "@keyward/db/testing";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectPostgres, createSecretStub, getMasterKeySettings, migrateToLatest, readSecretValue, setSecretValue, type KeywardDatabase } from "@keyward/db";
import { loadKeysFor } from "../../src/keys.js";
import { baseEnv, freshPostgresUrl, tmpDir } from "../helpers.js";

const at = new Date("2026-12-01T00:00:00.000Z");
const passphrase = "a long and memorable passphrase";
let open: KeywardDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function freshDb() {
  open = connectPostgres(await freshPostgresUrl());
  await migrateToLatest(open.db);
  return open.db;
}

describe("master key sources", () => {
  it("a first passphrase start that fails after binding the salt leaves the binding with its audit row", async () => {
    const db = await freshDb();
    // Anything failing inside the keyring's set-up transaction (a crash, a lost connection).
    const failing = db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === "InsertQueryNode" && JSON.stringify(args.node.into).includes("encryption_keys")) throw new Error("injected: connection lost");
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const env = { ...baseEnv(), KEYWARD_MASTER_PASSPHRASE: passphrase, KEYWARD_PASSPHRASE_SCRYPT_N: "16384" };
    await expect(loadKeysFor(failing, { env, dataDir: tmpDir(), at })).rejects.toThrow(/injected/);
    const settings = await getMasterKeySettings(db);
    const rows = await db.selectFrom("audit_log").select(["action", "target"]).execute();
    expect(rows).toEqual([{ action: "keys.passphrase", target: `master:${settings!.fingerprint}` }]);
  });

  it("a passphrase derives the same keys on every start (params stored once), and a wrong one is named", async () => {
    const db = await freshDb();
    const dataDir = tmpDir();
    const env = { ...baseEnv(), KEYWARD_MASTER_PASSPHRASE: passphrase };
    const first = await loadKeysFor(db, { env, dataDir, at });
    expect(first.kekSource).toBe("passphrase");
    expect(fs.existsSync(path.join(dataDir, "master.key"))).toBe(false);
    const settings = await getMasterKeySettings(db);
    expect(JSON.parse(settings!.kdf!)).toMatchObject({ kdf: "scrypt", N: 131072, r: 8, p: 1 });
    expect(settings!.kdf).not.toContain(passphrase);
    // Binding the database to the passphrase's salt is audited, before the keyring's own row.
    const rows = await db.selectFrom("audit_log").select(["action", "target", "result"]).orderBy("seq").execute();
    expect(rows.map((r) => r.action)).toEqual(["keys.passphrase", "keys.init"]);
    expect(rows[0]).toMatchObject({ target: `master:${settings!.fingerprint}`, result: "ok" });

    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "PASS_KEY", description: "", requestedBy: "t", at });
    await setSecretValue(db, first.envelope, { environmentId: await defaultEnvironmentId(db), name: "PASS_KEY", value: "from-passphrase", actor: "t", at });
    // A second replica (another data dir) with the same passphrase reads it. Replicas share the
    // audit key (a data dir's own would not fit the chain, and is refused).
    const sharedAudit = { KEYWARD_AUDIT_KEY: fs.readFileSync(path.join(dataDir, "audit.key"), "utf8").trim() };
    await expect(loadKeysFor(db, { env, dataDir: tmpDir(), at })).rejects.toThrow(/is not the key this database's audit log was written with/);
    const second = await loadKeysFor(db, { env: { ...env, ...sharedAudit }, dataDir: tmpDir(), at });
    expect(second.envelope.activeKeyId).toBe(first.envelope.activeKeyId);
    expect(await readSecretValue(db, second.envelope, { environmentId: await defaultEnvironmentId(db), name: "PASS_KEY" })).toMatchObject({ kind: "ok", value: "from-passphrase" });

    const wrong = "not the right passphrase at all";
    const error = await loadKeysFor(db, { env: { ...env, KEYWARD_MASTER_PASSPHRASE: wrong }, dataDir, at }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/the master key does not match this database/);
    expect((error as Error).message).not.toContain(wrong);

    await expect(loadKeysFor(db, { env: { ...baseEnv(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64") }, dataDir, at })).rejects.toThrow(/comes from a passphrase: set KEYWARD_MASTER_PASSPHRASE/);
    await expect(loadKeysFor(db, { env: { ...env, KEYWARD_MASTER_PASSPHRASE: "too short" }, dataDir, at })).rejects.toThrow(/use at least 12/);
  });

  it("KEYWARD_PASSPHRASE_SCRYPT_N sets the cost of a new passphrase's params; stored params win afterwards", async () => {
    const db = await freshDb();
    const env = { ...baseEnv(), KEYWARD_MASTER_PASSPHRASE: passphrase, KEYWARD_PASSPHRASE_SCRYPT_N: "16384" };
    const firstDir = tmpDir();
    const first = await loadKeysFor(db, { env, dataDir: firstDir, at });
    expect(JSON.parse((await getMasterKeySettings(db))!.kdf!)).toMatchObject({ kdf: "scrypt", N: 16384, r: 8, p: 1 });
    // Another replica (sharing the audit key) with a different (or no) cost setting derives the same key from the stored params.
    const sharedAudit = { KEYWARD_AUDIT_KEY: fs.readFileSync(path.join(firstDir, "audit.key"), "utf8").trim() };
    const other = await loadKeysFor(db, { env: { ...env, ...sharedAudit, KEYWARD_PASSPHRASE_SCRYPT_N: "65536" }, dataDir: tmpDir(), at });
    expect(other.envelope.activeKeyId).toBe(first.envelope.activeKeyId);
    expect(JSON.parse((await getMasterKeySettings(db))!.kdf!).N).toBe(16384);
    // A bad cost is named before anything is stored.
    const another = connectPostgres(await freshPostgresUrl());
    try {
      await migrateToLatest(another.db);
      await expect(loadKeysFor(another.db, { env: { ...env, KEYWARD_PASSPHRASE_SCRYPT_N: "1000" }, dataDir: tmpDir(), at })).rejects.toThrow(
        /KEYWARD_PASSPHRASE_SCRYPT_N must be a power of two from 16384 to 1048576/,
      );
      expect(await getMasterKeySettings(another.db)).toBeUndefined();
    } finally {
      await another.close();
    }
  });

  it("a key database refuses a passphrase, and never generates a new master.key over existing keys", async () => {
    const db = await freshDb();
    const dataDir = tmpDir();
    const env = { ...baseEnv(), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const first = await loadKeysFor(db, { env, dataDir, at });
    expect(first.kekSource).toBe("generated");
    expect(fs.statSync(path.join(dataDir, "master.key")).mode & 0o777).toBe(0o600);
    expect((await loadKeysFor(db, { env, dataDir, at })).envelope.activeKeyId).toBe(first.envelope.activeKeyId);

    await expect(loadKeysFor(db, { env: { ...env, KEYWARD_MASTER_PASSPHRASE: passphrase }, dataDir, at })).rejects.toThrow(/is a key \(KEYWARD_MASTER_KEY or master.key\), not a passphrase/);
    // The key file is lost: no new key is generated, even before any value was stored.
    const elsewhere = tmpDir();
    await expect(loadKeysFor(db, { env, dataDir: elsewhere, at })).rejects.toThrow(/holds keys for master key mk_[0-9a-f]{16} but no master key was found/);
    expect(fs.existsSync(path.join(elsewhere, "master.key"))).toBe(false);
    await expect(loadKeysFor(db, { env, dataDir: tmpDir(), allowCreate: false, at })).rejects.toThrow(/no master key was found/);
  });

  it("setting both KEYWARD_MASTER_KEY and KEYWARD_MASTER_PASSPHRASE is an error", async () => {
    const db = await freshDb();
    const env = { ...baseEnv(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_MASTER_PASSPHRASE: passphrase };
    await expect(loadKeysFor(db, { env, dataDir: tmpDir(), at })).rejects.toThrow(/either KEYWARD_MASTER_KEY or KEYWARD_MASTER_PASSPHRASE, not both/);
  });
});
