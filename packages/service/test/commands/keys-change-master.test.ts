import { defaultEnvironmentId } from "@keyward/db/testing";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { masterKeyFingerprint } from "@keyward/common";
import { connectDatabase, connectPostgres, createSecretStub, getMasterKeySettings, migrateToLatest, readSecretValue, setSecretValue, type KeywardDatabase } from "@keyward/db";
import { runAuditCommand } from "../../src/commands/audit.js";
import { runDoctorCommand } from "../../src/commands/doctor.js";
import { runKeysCommand } from "../../src/commands/keys.js";
import { loadKeysFor } from "../../src/keys.js";
import { baseEnv, CLI, freshPostgresUrl, tmpDir, runInProcess } from "../helpers.js";

const at = new Date("2026-11-23T01:00:00.000Z");
const opened: KeywardDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

const keys = (argv: string[], env: NodeJS.ProcessEnv) => runInProcess(runKeysCommand, ["change-master", ...argv], env);

/** Every secret the test knows (keys as base64 text, passphrases), in the encodings an accident would print. */
function expectNoSecrets(output: string, secrets: string[]) {
  for (const s of secrets) {
    expect(output).not.toContain(s.trim());
    const raw = Buffer.from(s.trim(), "base64");
    if (raw.length === 32) expect(output).not.toContain(raw.toString("hex").slice(0, 16));
  }
}

function keyFile(dir: string, name: string, content: string, mode = 0o600) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  return file;
}

/** A service that started once: migrated, keyring created, `count` values set. */
async function seed(env: NodeJS.ProcessEnv, dataDir: string, count: number) {
  const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
  try {
    await migrateToLatest(database.db);
    const loaded = await loadKeysFor(database.db, { env, dataDir, at });
    for (let i = 0; i < count; i++) {
      await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: `KEY_${i}`, description: "", requestedBy: "t", at });
      await setSecretValue(database.db, loaded.envelope, { environmentId: await defaultEnvironmentId(database.db), name: `KEY_${i}`, value: `value-${i}`, actor: "t", at });
    }
  } finally {
    await database.close();
  }
}

async function expectReadable(db: KeywardDatabase["db"], env: NodeJS.ProcessEnv, dataDir: string, count: number) {
  const loaded = await loadKeysFor(db, { env, dataDir, allowCreate: false, at });
  for (let i = 0; i < count; i++) expect(await readSecretValue(db, loaded.envelope, { environmentId: await defaultEnvironmentId(db), name: `KEY_${i}` })).toMatchObject({ kind: "ok", value: `value-${i}` });
}

describe("keyward-service keys change-master (PostgreSQL)", () => {
  it("key (env) → key file → passphrase → generated file: every value reads with the new key, the old one is refused, nothing secret is printed", async () => {
    const dataDir = tmpDir();
    const k1 = randomBytes(32).toString("base64");
    const auditKey = randomBytes(32).toString("base64");
    const base = { ...baseEnv(), DATABASE_URL: await freshPostgresUrl(), KEYWARD_AUDIT_KEY: auditKey, KEYWARD_DATA_DIR: dataDir };
    await seed({ ...base, KEYWARD_MASTER_KEY: k1 }, dataDir, 3);
    const database = connectPostgres(base.DATABASE_URL);
    opened.push(database);
    const fp = (b64: string) => masterKeyFingerprint(Buffer.from(b64, "base64"));

    // 1. KEYWARD_MASTER_KEY → a key file.
    const k2 = randomBytes(32).toString("base64");
    const file2 = keyFile(tmpDir(), "new.key", k2 + "\n");
    const toFile = await keys(["--new-key-file", file2], { ...base, KEYWARD_MASTER_KEY: k1 });
    expect(toFile, toFile.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(toFile.stdout).toContain(`Master key changed: ${fp(k1)} -> ${fp(k2)}. 1 KEK version(s) rewrapped; no value or data key was touched.`);
    expect(toFile.stdout).toContain(`replace KEYWARD_MASTER_KEY, then install the new key before the next start: copy ${file2} to ${path.join(dataDir, "master.key")}`);
    expect(toFile.stdout).toMatch(/restart them before the next keys rotate/);
    expectNoSecrets(toFile.stdout, [k1, k2, auditKey]);
    await expectReadable(database.db, { ...base, KEYWARD_MASTER_KEY: k2 }, dataDir, 3);
    await expect(loadKeysFor(database.db, { env: { ...base, KEYWARD_MASTER_KEY: k1 }, dataDir, allowCreate: false, at })).rejects.toThrow(
      `it was set up with master key ${fp(k2)}, this one is ${fp(k1)}`,
    );
    const stale = await keys(["--generate"], { ...base, KEYWARD_MASTER_KEY: k1 });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`it was set up with master key ${fp(k2)}`);
    expect(fs.existsSync(path.join(dataDir, "master.key.new"))).toBe(false);

    // 2. The key → a passphrase (read from the named variable, never argv).
    const passphrase = "correct horse battery staple, for change-master";
    const toPassphrase = await keys(["--new-passphrase-env", "NEW_PASSPHRASE"], { ...base, KEYWARD_MASTER_KEY: k2, NEW_PASSPHRASE: passphrase });
    expect(toPassphrase, toPassphrase.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(toPassphrase.stdout).toContain(`Master key changed: ${fp(k2)} -> mk_`);
    expect(toPassphrase.stdout).toContain("start every replica with KEYWARD_MASTER_PASSPHRASE set to the new passphrase (from NEW_PASSPHRASE) and KEYWARD_MASTER_KEY unset");
    expectNoSecrets(toPassphrase.stdout, [k1, k2, auditKey, passphrase]);
    const settings = await getMasterKeySettings(database.db);
    expect(JSON.parse(settings!.kdf!)).toMatchObject({ kdf: "scrypt" });
    const withPassphrase = { ...base, KEYWARD_MASTER_PASSPHRASE: passphrase };
    await expectReadable(database.db, withPassphrase, dataDir, 3);
    await expect(loadKeysFor(database.db, { env: { ...base, KEYWARD_MASTER_KEY: k2 }, dataDir, allowCreate: false, at })).rejects.toThrow(/comes from a passphrase/);

    // The same passphrase again is refused, and changes nothing.
    const same = await keys(["--new-passphrase-env", "AGAIN"], { ...withPassphrase, AGAIN: passphrase });
    expect(same).toMatchObject({ code: 1, stdout: "" });
    expect(same.stderr).toContain("the new passphrase in AGAIN is the current one");
    expectNoSecrets(same.stderr, [passphrase]);

    // 3. The passphrase → a generated key file, swapped in by hand; doctor names the swap until it is done.
    const toGenerated = await keys(["--generate", "--data-dir", dataDir], withPassphrase);
    expect(toGenerated, toGenerated.stderr).toMatchObject({ code: 0, stderr: "" });
    const generated = path.join(dataDir, "master.key.new");
    expect(fs.statSync(generated).mode & 0o777).toBe(0o600);
    const k3 = fs.readFileSync(generated, "utf8").trim();
    expect(toGenerated.stdout).toContain(`-> ${fp(k3)}`);
    expect(toGenerated.stdout).toContain(`Wrote the new master key to ${generated} (mode 0600)`);
    expect(toGenerated.stdout).toContain(`unset KEYWARD_MASTER_PASSPHRASE, then either: mv ${generated} ${path.join(dataDir, "master.key")}`);
    expectNoSecrets(toGenerated.stdout, [k1, k2, k3, auditKey, passphrase]);
    expect((await getMasterKeySettings(database.db))?.kdf).toBeNull();

    const doctor = await runInProcess(runDoctorCommand, ["--data-dir", dataDir], base);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`fix: the master key was changed (keys change-master --generate) to ${generated}: swap it in with mv ${generated} ${path.join(dataDir, "master.key")}`);
    const doctorPassphrase = await runInProcess(runDoctorCommand, ["--data-dir", dataDir], withPassphrase);
    expect(doctorPassphrase.stdout).toContain("KEYWARD_MASTER_PASSPHRASE is set, but this database's master key");
    expectNoSecrets(doctor.stdout + doctorPassphrase.stdout, [k3, passphrase]);

    fs.renameSync(generated, path.join(dataDir, "master.key"));
    await expectReadable(database.db, base, dataDir, 3);
    expect((await runInProcess(runDoctorCommand, ["--data-dir", dataDir], base)).stdout).toMatch(/ok +master key: mk_\w+ from .*master\.key matches the database/);

    // Audited, one row per change, actor cli:<user>; the chain still verifies.
    const audit = await database.db.selectFrom("audit_log").select(["actor_type", "actor_id", "action", "target", "reason"]).where("action", "=", "keys.master.change").orderBy("seq").execute();
    expect(audit.map((a) => [a.actor_type, a.action, a.target])).toEqual([
      ["cli", "keys.master.change", `master:${fp(k2)}`],
      ["cli", "keys.master.change", expect.stringMatching(/^master:mk_/)],
      ["cli", "keys.master.change", `master:${fp(k3)}`],
    ]);
    expect(audit.every((a) => a.actor_id.startsWith("cli:"))).toBe(true);
    expectNoSecrets(JSON.stringify(audit), [k1, k2, k3, auditKey, passphrase]);
    const verify = await runInProcess(runAuditCommand, ["verify"], base);
    expect(verify.stdout).toMatch(/^OK: \d+ audit row\(s\), the chain is intact\.\n$/);
  });

  it("bad inputs each give a clear message, exit non-zero, print no key material and change nothing", async () => {
    const dataDir = tmpDir();
    const dir = tmpDir();
    const k1 = randomBytes(32).toString("base64");
    const env = { ...baseEnv(), DATABASE_URL: await freshPostgresUrl(), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), KEYWARD_MASTER_KEY: k1, KEYWARD_DATA_DIR: dataDir };
    await seed(env, dataDir, 2);
    const database = connectPostgres(env.DATABASE_URL);
    opened.push(database);
    const before = await getMasterKeySettings(database.db);
    const kekRows = async () => database.db.selectFrom("encryption_keys").selectAll().execute();
    const kekBefore = await kekRows();

    const open = randomBytes(32).toString("base64");
    const openFile = keyFile(dir, "open.key", open, 0o644);
    const short = randomBytes(16).toString("base64");
    const shortFile = keyFile(dir, "short.key", short);
    const garbage = "this is not base64 at all!";
    const garbageFile = keyFile(dir, "garbage.key", garbage);
    const sameFile = keyFile(dir, "same.key", k1);
    const typedPassphrase = "mypassphraseinargv";
    const shortPassphrase = "short one";
    const cases: [string[], NodeJS.ProcessEnv, number, RegExp | string][] = [
      [[], env, 2, "keys change-master needs exactly one of --new-key-file FILE, --new-passphrase-env VAR, --generate, or --to aws-kms|azure-key-vault|vault-transit"],
      [["--generate", "--new-key-file", sameFile], env, 2, "needs exactly one of"],
      [["--new-key-file", path.join(dir, "missing.key")], env, 1, `--new-key-file ${path.join(dir, "missing.key")} does not exist or cannot be read; create it with: (umask 077; openssl rand -base64 32 > ${path.join(dir, "missing.key")})`],
      [["--new-key-file", dir], env, 1, `--new-key-file ${dir} is not a regular file`],
      [["--new-key-file", openFile], env, 1, `key file ${openFile} is readable by others (mode 644); run: chmod 600 ${openFile}`],
      [["--new-key-file", shortFile], env, 1, `key file ${shortFile} must decode to 32 bytes, but it decodes to 16`],
      [["--new-key-file", garbageFile], env, 1, `key file ${garbageFile} is not base64`],
      [["--new-key-file", sameFile], env, 1, `the new master key is the current one (${masterKeyFingerprint(Buffer.from(k1, "base64"))}); nothing to change`],
      [["--new-passphrase-env", "NOT_SET_ANYWHERE"], env, 1, "environment variable NOT_SET_ANYWHERE (from --new-passphrase-env) is not set or is empty"],
      [["--new-passphrase-env", "EMPTY"], { ...env, EMPTY: "" }, 1, "environment variable EMPTY (from --new-passphrase-env) is not set or is empty"],
      [["--new-passphrase-env", typedPassphrase], env, 1, "takes the name of an environment variable in upper case"],
      [["--new-passphrase-env", "SHORT"], { ...env, SHORT: shortPassphrase }, 1, "SHORT is 9 characters long; use at least 12"],
      [["--new-passphrase-env", "KEYWARD_MASTER_PASSPHRASE"], env, 1, "put the new one in another variable"],
      [["--new-key-file", sameFile], { ...env, KEYWARD_MASTER_KEY: open }, 1, /the master key does not match this database: it was set up with master key mk_\w+, this one is mk_\w+/],
    ];
    for (const [argv, caseEnv, code, message] of cases) {
      const result = await keys(argv, caseEnv);
      expect(result.code, `${argv.join(" ")}: ${result.stderr}`).toBe(code);
      expect(result.stdout).toBe("");
      if (typeof message === "string") expect(result.stderr).toContain(message);
      else expect(result.stderr).toMatch(message);
      expectNoSecrets(result.stdout + result.stderr, [k1, open, short, typedPassphrase, shortPassphrase, env.KEYWARD_AUDIT_KEY!]);
      expect(result.stderr).not.toContain(garbage);
    }
    // --generate refuses to overwrite an earlier master.key.new, and leaves it as it was.
    const leftover = keyFile(dataDir, "master.key.new", "earlier\n");
    const again = await keys(["--generate"], { ...env, KEYWARD_DATA_DIR: dataDir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${leftover} already exists`);
    expect(fs.readFileSync(leftover, "utf8")).toBe("earlier\n");
    // Flags of change-master on another action are a usage error.
    expect((await runInProcess(runKeysCommand, ["rotate", "--generate"], env)).code).toBe(2);

    expect(await getMasterKeySettings(database.db)).toEqual(before);
    expect(await kekRows()).toEqual(kekBefore);
    expect(await database.db.selectFrom("audit_log").select("seq").where("action", "=", "keys.master.change").execute()).toEqual([]);
    await expectReadable(database.db, env, dataDir, 2);
  });
});

describe("keyward-service keys change-master (real CLI process, embedded PGlite)", () => {
  it("--generate with master.key, swap, start reads every value", async () => {
    const dataDir = tmpDir();
    const env = { ...baseEnv(), KEYWARD_DATA_DIR: dataDir };
    await seed(env, dataDir, 2);
    const oldKey = fs.readFileSync(path.join(dataDir, "master.key"), "utf8").trim();
    const child = spawn(process.execPath, [CLI, "keys", "change-master", "--generate"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code, out).toBe(0);
    const generated = path.join(dataDir, "master.key.new");
    const newKey = fs.readFileSync(generated, "utf8").trim();
    expect(out).toContain(`Master key changed: ${masterKeyFingerprint(Buffer.from(oldKey, "base64"))} -> ${masterKeyFingerprint(Buffer.from(newKey, "base64"))}`);
    expect(out).toContain(`Next: swap it in before the next start: mv ${generated} ${path.join(dataDir, "master.key")}.`);
    expectNoSecrets(out, [oldKey, newKey]);

    const database = await connectDatabase({ dataDir });
    try {
      await expect(loadKeysFor(database.db, { env, dataDir, allowCreate: false, at })).rejects.toThrow(/does not match this database/);
      fs.renameSync(generated, path.join(dataDir, "master.key"));
      await expectReadable(database.db, env, dataDir, 2);
    } finally {
      await database.close();
    }
  });
});
