import { defaultEnvironmentId } from "@keyward/db/testing";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { connectDatabase, connectPostgres, createSecretStub, getKeyringStatus, migrateToLatest, readSecretValue, setSecretValue } from "@keyward/db";
import { runKeysCommand } from "../../src/commands/keys.js";
import { loadKeysFor } from "../../src/keys.js";
import { baseEnv, freshPostgresUrl, tmpDir, runInProcess } from "../helpers.js";

const at = new Date("2026-11-12T13:14:15.000Z");

const run = (argv: string[], env: NodeJS.ProcessEnv) => runInProcess(runKeysCommand, argv, env);

/** A started-once service's state: migrated, keyring created, a few values set. */
async function seed(env: NodeJS.ProcessEnv, dataDir: string, count: number) {
  const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
  try {
    await migrateToLatest(database.db);
    const keys = await loadKeysFor(database.db, { env, dataDir, at });
    for (let i = 0; i < count; i++) {
      await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: `KEY_${i}`, description: "", requestedBy: "t", at });
      await setSecretValue(database.db, keys.envelope, { environmentId: await defaultEnvironmentId(database.db), name: `KEY_${i}`, value: `value-${i}`, actor: "t", at });
    }
  } finally {
    await database.close();
  }
}

describe("keyward-service keys on PostgreSQL", () => {
  it("status → rotate → retire refused → rewrap in batches → retire, with every value still readable", async () => {
    const dataDir = tmpDir();
    const masterKey = randomBytes(32).toString("base64");
    const env = { ...baseEnv(), DATABASE_URL: await freshPostgresUrl(), KEYWARD_MASTER_KEY: masterKey, KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    await seed(env, dataDir, 4);

    const status = await run(["status", "--data-dir", dataDir], env);
    expect(status).toMatchObject({ code: 0, stderr: "" });
    expect(status.stdout).toMatch(/v1 {2}kek_[0-9a-f]{16} {2}active {4}4 data key\(s\)/);
    const oldId = /v1 {2}(kek_[0-9a-f]{16})/.exec(status.stdout)![1]!;

    const rotated = await run(["rotate"], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`New active KEK v2`);
    expect(rotated.stdout).toContain(`${oldId} is retiring`);
    expect((await run(["status"], env)).stdout).toContain("0 of 4 data key(s) on the active KEK, 4 remaining");

    const refused = await run(["retire", oldId], env);
    expect(refused).toMatchObject({ code: 1, stderr: `error: 4 data key(s) still need ${oldId}; run keyward-service keys rewrap first\n` });

    const rewrap = await run(["rewrap", "--batch-size", "3"], env);
    expect(rewrap.code).toBe(0);
    expect(rewrap.stdout).toContain("rewrapped 3, 1 remaining\nrewrapped 4, 0 remaining\nDone: 4 data key(s) rewrapped; 0 remaining.");
    expect(rewrap.stdout).toContain(`Next: keyward-service keys retire ${oldId}`);

    expect(await run(["retire", oldId], env)).toMatchObject({ code: 0, stdout: expect.stringContaining(`Retired ${oldId}`) });
    expect((await run(["retire", oldId], env)).stdout).toContain("already retired");
    expect((await run(["retire", "kek_doesnotexist00"], env)).stderr).toContain("no KEK with id kek_doesnotexist00");

    const database = connectPostgres(env.DATABASE_URL);
    try {
      const keyring = await getKeyringStatus(database.db);
      expect(keyring.keys.map((k) => [k.id === oldId, k.status, k.dataKeys])).toEqual([
        [true, "retired", 0],
        [false, "active", 4],
      ]);
      const active = keyring.keys[1]!.id;
      expect((await run(["retire", active], env)).stderr).toContain("is the active KEK");
      const keys = await loadKeysFor(database.db, { env, dataDir, allowCreate: false });
      for (let i = 0; i < 4; i++) expect(await readSecretValue(database.db, keys.envelope, { environmentId: await defaultEnvironmentId(database.db), name: `KEY_${i}` })).toEqual({ kind: "ok", value: `value-${i}`, version: 1 });
      const actions = await database.db.selectFrom("audit_log").select(["action", "actor_id"]).orderBy("seq").execute();
      expect(actions.filter((a) => a.action.startsWith("keys.")).map((a) => a.action)).toEqual(["keys.init", "keys.rotate", "keys.rewrap", "keys.rewrap", "keys.retire"]);
      expect(actions.find((a) => a.action === "keys.rotate")?.actor_id).toMatch(/^cli:/);
    } finally {
      await database.close();
    }

    // A wrong master key is named by fingerprint, and neither key appears in the output.
    const wrong = randomBytes(32).toString("base64");
    const bad = await run(["status"], { ...env, KEYWARD_MASTER_KEY: wrong });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/the master key does not match this database: it was set up with master key mk_[0-9a-f]{16}/);
    expect(bad.stderr + bad.stdout).not.toContain(wrong.slice(0, 12));
    expect(bad.stderr + bad.stdout).not.toContain(masterKey.slice(0, 12));
  });

  it("explains usage mistakes with exit code 2", async () => {
    const env = baseEnv();
    for (const [argv, message] of [
      [[], "say what to do"],
      [["frob"], 'unknown keys action "frob"'],
      [["retire"], "retire needs exactly one KEK id"],
      [["status", "extra"], 'keys status takes no arguments, got "extra"'],
      [["rewrap", "--batch-size", "0"], '--batch-size must be a positive integer, got "0"'],
      [["status", "--batch-size", "3"], "--batch-size applies to keys rewrap only"],
      [["status", "--nope"], "unknown flag --nope (see --help for the flags)"],
    ] as const) {
      const result = await run([...argv], env);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("Usage: keyward-service keys");
    }
    expect((await run(["--help"], env)).stdout).toContain("keys <status | rotate | rewrap | retire <kek-id> | change-master ...>");
  });
});

describe("keyward-service keys on embedded PGlite", () => {
  it("rotates and rewraps with the generated master.key, and refuses a missing data directory", async () => {
    const dataDir = tmpDir();
    const env = baseEnv();
    await seed(env, dataDir, 2);
    expect((await run(["rotate", "--data-dir", dataDir], env)).code).toBe(0);
    const rewrap = await run(["rewrap", "--data-dir", dataDir], env);
    expect(rewrap.stdout).toContain("Done: 2 data key(s) rewrapped; 0 remaining.");
    const missing = await run(["status", "--data-dir", path.join(dataDir, "nope")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no Keyward database in");
  }, 180_000);
});
