import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, getMasterKeySettings, migrateToLatest, type KeywardDatabase } from "@keyward/db";
import { defaultEnvironmentId } from "@keyward/db/testing";
import { createSecretStub, readSecretValue, setSecretValue } from "@keyward/db";
import { externalKeyFingerprint, loadServiceConfig } from "@keyward/common";
import { runDoctorCommand } from "../src/commands/doctor.js";
import { runKeysCommand } from "../src/commands/keys.js";
import { loadKeysFor } from "../src/keys.js";
import { baseEnv, closedPort, runInProcess, tmpDir } from "./helpers.js";
import { startKmsFake, type KmsFake } from "./fixtures/kms-fake.js";
import { startVaultFake, type VaultFake } from "./fixtures/vault-fake.js";

const at = new Date("2026-11-30T12:00:00.000Z");
let kms: KmsFake;
let vault: VaultFake;
let kmsArn: string;
beforeAll(async () => {
  kms = await startKmsFake();
  kmsArn = kms.createKey("keyward-master");
  vault = await startVaultFake();
  vault.createKey("keyward-master");
});
afterAll(async () => {
  await kms?.close();
  await vault?.close();
});

const kmsEnv = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  KEYWARD_MASTER_KEY_SOURCE: "aws-kms",
  KEYWARD_AWS_KMS_KEY_ID: "alias/keyward-master",
  KEYWARD_AWS_KMS_REGION: kms.region,
  KEYWARD_AWS_KMS_ENDPOINT: kms.endpoint,
  AWS_ACCESS_KEY_ID: kms.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: kms.credentials.secretAccessKey,
  ...overrides,
});
const vaultEnv = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  KEYWARD_MASTER_KEY_SOURCE: "vault-transit",
  KEYWARD_VAULT_ADDR: vault.address,
  KEYWARD_VAULT_TOKEN: vault.token,
  KEYWARD_VAULT_TRANSIT_KEY: "keyward-master",
  ...overrides,
});

const opened: KeywardDatabase[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});
async function open(dataDir: string) {
  const database = await connectDatabase({ dataDir });
  opened.push(database);
  await migrateToLatest(database.db);
  return database;
}

async function setValue(db: KeywardDatabase["db"], env: NodeJS.ProcessEnv, dataDir: string, name: string, value: string) {
  const keys = await loadKeysFor(db, { env, dataDir, at });
  const environmentId = await defaultEnvironmentId(db);
  await createSecretStub(db, { environmentId, name, description: "", requestedBy: "t", at });
  await setSecretValue(db, keys.envelope, { environmentId, name, value, actor: "t", at });
}
async function readValue(db: KeywardDatabase["db"], env: NodeJS.ProcessEnv, dataDir: string, name: string) {
  const keys = await loadKeysFor(db, { env, dataDir, allowCreate: false, at });
  return readSecretValue(db, keys.envelope, { environmentId: await defaultEnvironmentId(db), name });
}

describe("external master key sources (in process, against the wire fakes)", () => {
  it("aws-kms: the keyring is wrapped by KMS (with the KEK id as encryption context); an alias and the ARN are one key", async () => {
    const dataDir = tmpDir();
    const { db } = await open(dataDir);
    await setValue(db, { ...baseEnv(), ...kmsEnv() }, dataDir, "API_KEY", "kms-wrapped-value");
    const settings = await getMasterKeySettings(db);
    expect(settings?.fingerprint).toBe(externalKeyFingerprint("aws-kms", kmsArn));
    const rows = await db.selectFrom("encryption_keys").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.wrapped_by).toBe(settings!.fingerprint);
    expect(kms.calls.filter((c) => c.target === "TrentService.Encrypt").at(-1)?.context).toEqual({ keyward: "kek", kek_id: rows[0]!.id });
    // By ARN instead of alias: the same key, so the same fingerprint.
    expect(await readValue(db, { ...baseEnv(), ...kmsEnv({ KEYWARD_AWS_KMS_KEY_ID: kmsArn }) }, dataDir, "API_KEY")).toMatchObject({ kind: "ok", value: "kms-wrapped-value" });
    // No master key file was ever written.
    expect(await import("node:fs").then((fs) => fs.existsSync(`${dataDir}/master.key`))).toBe(false);
  });

  it("vault-transit: wraps and unwraps the keyring; the stored KEK is Vault's ciphertext", async () => {
    const dataDir = tmpDir();
    const { db } = await open(dataDir);
    await setValue(db, { ...baseEnv(), ...vaultEnv() }, dataDir, "DB_PASSWORD", "vault-wrapped-value");
    const rows = await db.selectFrom("encryption_keys").selectAll().execute();
    expect(Buffer.from(rows[0]!.wrapped_key!).toString("utf8")).toMatch(/^vault:v1:/);
    expect(await readValue(db, { ...baseEnv(), ...vaultEnv() }, dataDir, "DB_PASSWORD")).toMatchObject({ kind: "ok", value: "vault-wrapped-value" });
  });

  it("wrong credentials and unreachable services are named, with the source, never with a secret", async () => {
    const dataDir = tmpDir();
    const { db } = await open(dataDir);
    await setValue(db, { ...baseEnv(), ...kmsEnv() }, dataDir, "X", "x");
    const wrongSecret = randomBytes(30).toString("base64");
    const badKms = (await loadKeysFor(db, { env: { ...baseEnv(), ...kmsEnv({ AWS_SECRET_ACCESS_KEY: wrongSecret }) }, dataDir, at }).catch((e: Error) => e)) as Error;
    expect(badKms.message).toMatch(/aws-kms key alias\/keyward-master in eu-west-1 via http:\/\/127\.0\.0\.1:\d+\) cannot be used: InvalidSignatureException/);
    expect(badKms.message).not.toContain(wrongSecret);
    const badId = (await loadKeysFor(db, { env: { ...baseEnv(), ...kmsEnv({ AWS_ACCESS_KEY_ID: "AKIAUNKNOWN000000000" }) }, dataDir, at }).catch((e: Error) => e)) as Error;
    expect(badId.message).toMatch(/UnrecognizedClientException: The security token included in the request is invalid/);
    const down = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = (await loadKeysFor(db, { env: { ...baseEnv(), ...kmsEnv({ KEYWARD_AWS_KMS_ENDPOINT: down }) }, dataDir, at }).catch((e: Error) => e)) as Error;
    expect(unreachable.message).toContain(`aws-kms key alias/keyward-master in eu-west-1 via ${down}) cannot be used`);

    const vdir = tmpDir();
    const v = await open(vdir);
    const wrongToken = `hvs.${randomBytes(18).toString("base64url")}`;
    const badVault = (await loadKeysFor(v.db, { env: { ...baseEnv(), ...vaultEnv({ KEYWARD_VAULT_TOKEN: wrongToken }) }, dataDir: vdir, at }).catch((e: Error) => e)) as Error;
    expect(badVault.message).toMatch(/could not wrap KEK kek_[0-9a-f]{16}: Vault encrypt with transit\/keyward-master answered HTTP 403: permission denied \(check KEYWARD_VAULT_TOKEN and its policy\)/);
    expect(badVault.message).not.toContain(wrongToken);
    const vaultDown = (await loadKeysFor(v.db, { env: { ...baseEnv(), ...vaultEnv({ KEYWARD_VAULT_ADDR: down }) }, dataDir: vdir, at }).catch((e: Error) => e)) as Error;
    expect(vaultDown.message).toMatch(new RegExp(`vault-transit key transit/keyward-master at ${down.replace(/\./g, "\\.")} \\(mk_[0-9a-f]{16}\\)\\) could not wrap KEK .*: Vault at .* is unreachable \\(ECONNREFUSED\\)`));
  });

  it("validates the settings at start: every missing or wrong field is named, tokens are never echoed", () => {
    const token = `hvs.${randomBytes(18).toString("base64url")}`;
    expect(() => loadServiceConfig({ KEYWARD_MASTER_KEY_SOURCE: "aws-kms" }, "/tmp")).toThrow(/KEYWARD_AWS_KMS_KEY_ID is missing: .*\n  - KEYWARD_AWS_KMS_REGION is missing/);
    expect(() => loadServiceConfig({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_ADDR: "http://vault.example.com:8200", KEYWARD_VAULT_TOKEN: token }, "/tmp")).toThrow(
      /KEYWARD_VAULT_ADDR must use https.*\n  - KEYWARD_VAULT_TRANSIT_KEY is missing/,
    );
    expect(() => loadServiceConfig({ KEYWARD_MASTER_KEY_SOURCE: "azure-key-vault", KEYWARD_AZURE_KEY_ID: "https://my-vault.vault.azure.net/secrets/x" }, "/tmp")).toThrow(/KEYWARD_AZURE_KEY_ID must be an https key URL/);
    expect(() => loadServiceConfig({ KEYWARD_MASTER_KEY_SOURCE: "gcp-kms" }, "/tmp")).toThrow(/KEYWARD_MASTER_KEY_SOURCE must be equal to one of the allowed values/);
    expect(() => loadServiceConfig({ KEYWARD_MASTER_KEY_SOURCE: "aws-kms", KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AWS_KMS_KEY_ID: "k", AWS_REGION: "eu-west-1" }, "/tmp")).toThrow(
      /KEYWARD_MASTER_KEY is set, but KEYWARD_MASTER_KEY_SOURCE is aws-kms/,
    );
    const error = (() => {
      try {
        loadServiceConfig({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_TOKEN: token, KEYWARD_VAULT_TRANSIT_KEY: "bad key!" }, "/tmp");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/KEYWARD_VAULT_TRANSIT_KEY must match pattern/);
    expect(error?.message).not.toContain(token);
  });
});

describe("keys change-master between sources", () => {
  it("file → aws-kms → vault-transit → file: every KEK rewrapped in one audited transaction each, values readable all along", async () => {
    const dataDir = tmpDir();
    const base = { ...baseEnv(), KEYWARD_DATA_DIR: dataDir };
    const database = await open(dataDir);
    await setValue(database.db, base, dataDir, "STRIPE_KEY", "sk_live_value_1");
    await database.close();
    opened.splice(opened.indexOf(database), 1);
    const fileKey = (await import("node:fs")).readFileSync(`${dataDir}/master.key`, "utf8").trim();
    const outputs: string[] = [];
    const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
      const result = await runInProcess(runKeysCommand, ["change-master", ...argv], env);
      outputs.push(result.stdout, result.stderr);
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    const toKms = await run(["--to", "aws-kms"], { ...base, ...kmsEnv(), KEYWARD_MASTER_KEY_SOURCE: "file" });
    expect(toKms.stdout).toMatch(/Master key changed: mk_[0-9a-f]{16} -> mk_[0-9a-f]{16}\. 1 KEK version\(s\) rewrapped.*\n  from: file .*master\.key \(mk_[0-9a-f]{16}\)\n  to:   aws-kms key arn:aws:kms:eu-west-1:111122223333:key\//);
    expect(toKms.stdout).toMatch(/Next: start every replica with KEYWARD_MASTER_KEY_SOURCE=aws-kms .*; move the old .*master\.key away/);
    (await import("node:fs")).renameSync(`${dataDir}/master.key`, `${dataDir}/master.key.old`);

    let database2 = await open(dataDir);
    expect(await readValue(database2.db, { ...base, ...kmsEnv() }, dataDir, "STRIPE_KEY")).toMatchObject({ kind: "ok", value: "sk_live_value_1" });
    await database2.close();
    opened.splice(opened.indexOf(database2), 1);

    // kms → vault: the new source's settings are KEYWARD_NEW_* (here also plain, since the two sources do not share variables).
    const toVault = await run(["--to", "vault-transit"], { ...base, ...kmsEnv(), KEYWARD_NEW_VAULT_ADDR: vault.address, KEYWARD_NEW_VAULT_TOKEN: vault.token, KEYWARD_NEW_VAULT_TRANSIT_KEY: "keyward-master" });
    expect(toVault.stdout).toMatch(/\n  to:   vault-transit key transit\/keyward-master at http:\/\/127\.0\.0\.1:\d+/);
    expect(toVault.stdout).toContain("unset KEYWARD_MASTER_KEY_SOURCE=aws-kms and KEYWARD_AWS_KMS_KEY_ID, KEYWARD_AWS_KMS_REGION, KEYWARD_AWS_KMS_ENDPOINT");
    // The old source no longer opens the database.
    database2 = await open(dataDir);
    await expect(loadKeysFor(database2.db, { env: { ...base, ...kmsEnv() }, dataDir, allowCreate: false, at })).rejects.toThrow(/does not match this database.*Configured: aws-kms key/s);
    expect(await readValue(database2.db, { ...base, ...vaultEnv() }, dataDir, "STRIPE_KEY")).toMatchObject({ kind: "ok", value: "sk_live_value_1" });
    await database2.close();
    opened.splice(opened.indexOf(database2), 1);

    // vault → a new local key file.
    const fs = await import("node:fs");
    const newFile = `${tmpDir()}/new.key`;
    const newKey = randomBytes(32).toString("base64");
    fs.writeFileSync(newFile, newKey + "\n", { mode: 0o600 });
    await run(["--to", "file", "--new-key-file", newFile], { ...base, ...vaultEnv() });
    fs.copyFileSync(newFile, `${dataDir}/master.key`);
    fs.chmodSync(`${dataDir}/master.key`, 0o600);
    const database3 = await open(dataDir);
    expect(await readValue(database3.db, base, dataDir, "STRIPE_KEY")).toMatchObject({ kind: "ok", value: "sk_live_value_1" });
    const audit = await database3.db.selectFrom("audit_log").select(["action", "reason"]).where("action", "=", "keys.master.change").orderBy("seq").execute();
    expect(audit.map((a) => a.reason?.replace(/^.*rewrapped; /, ""))).toEqual(["file -> aws-kms", "aws-kms -> vault-transit", "vault-transit -> file"]);

    // Nothing secret reached the output.
    const all = outputs.join("\n");
    for (const secret of [fileKey, newKey, vault.token, kms.credentials.secretAccessKey, "sk_live_value_1"]) expect(all).not.toContain(secret);
  });

  it("refuses usage mistakes with exit 2", async () => {
    const env = { ...baseEnv(), KEYWARD_DATA_DIR: tmpDir() };
    const cases: [string[], RegExp][] = [
      [["--to", "gcp-kms"], /--to must be one of file, env, passphrase, aws-kms, azure-key-vault, vault-transit, got "gcp-kms"/],
      [["--to", "aws-kms", "--generate"], /--to aws-kms takes its settings from the environment/],
      [["--to", "passphrase", "--generate"], /--to passphrase needs --new-passphrase-env VAR/],
    ];
    for (const [argv, message] of cases) {
      const result = await runInProcess(runKeysCommand, ["change-master", ...argv], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe("doctor with an external master key", () => {
  it("checks the key is reachable and unwraps, naming the source and the error", async () => {
    const dataDir = tmpDir();
    const database = await open(dataDir);
    await setValue(database.db, { ...baseEnv(), ...vaultEnv() }, dataDir, "A", "a");
    await database.close();
    opened.splice(opened.indexOf(database), 1);
    const env = { ...baseEnv(), ...vaultEnv(), KEYWARD_DATA_DIR: dataDir };
    const ok = await runInProcess(runDoctorCommand, [], env);
    expect(ok.stdout).toMatch(/master key.*vault-transit key transit\/keyward-master at http:\/\/127\.0\.0\.1:\d+ \(mk_[0-9a-f]{16}\) is reachable and wraps and unwraps a probe key; it is this database's master key and unwraps the active KEK kek_[0-9a-f]{16}/);
    const wrongToken = `hvs.${randomBytes(18).toString("base64url")}`;
    const bad = await runInProcess(runDoctorCommand, [], { ...env, KEYWARD_VAULT_TOKEN: wrongToken });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/master key.*HTTP 403: permission denied/);
    expect(bad.stdout + bad.stderr).not.toContain(wrongToken);
    const other = await runInProcess(runDoctorCommand, [], { ...env, KEYWARD_VAULT_TRANSIT_KEY: "another-key" });
    expect(other.stdout).toMatch(/vault-transit key transit\/another-key .* is not this database's master key \(mk_[0-9a-f]{16}\)/);
  });
});
