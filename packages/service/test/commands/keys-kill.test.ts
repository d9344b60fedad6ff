import { defaultEnvironmentId } from "@keyward/db/testing";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { connectPostgres, createSecretStub, getKeyringStatus, migrateToLatest, readSecretValue, setSecretValue } from "@keyward/db";
import { loadKeysFor } from "../../src/keys.js";
import { baseEnv, CLI, freshPostgresUrl, tmpDir } from "../helpers.js";

const at = new Date("2026-12-24T00:00:00.000Z");
const SECRETS = 24;

/** Runs the real CLI to completion. */
async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, out };
}

async function until(check: () => Promise<boolean> | boolean, what: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("keyward-service keys rewrap, killed and resumed (real CLI process, PostgreSQL)", () => {
  it("rotate → rewrap part → SIGKILL → every value readable → rewrap resumes → retire", async () => {
    const dataDir = tmpDir();
    const url = await freshPostgresUrl();
    const env = { ...baseEnv(), DATABASE_URL: url, KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const database = connectPostgres(url);
    try {
      await migrateToLatest(database.db);
      const keys = await loadKeysFor(database.db, { env, dataDir, at });
      for (let i = 0; i < SECRETS; i++) {
        await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: `CLI_KILL_${String(i).padStart(2, "0")}`, description: "", requestedBy: "t", at });
        await setSecretValue(database.db, keys.envelope, { environmentId: await defaultEnvironmentId(database.db), name: `CLI_KILL_${String(i).padStart(2, "0")}`, value: `value-${i}`, actor: "t", at });
      }
      const rotated = await cli(["keys", "rotate"], env);
      expect(rotated.code, rotated.out).toBe(0);
      const oldId = /(kek_[0-9a-f]{16}) is retiring/.exec(rotated.out)![1]!;

      // Lock the 10th data key so the CLI's 4th batch (rows 10-12) waits inside its transaction.
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      await blocker.query("begin");
      const tenth = await blocker.query("select secret_id, version from secret_versions order by secret_id, version offset 9 limit 1");
      await blocker.query("select 1 from secret_versions where secret_id = $1 and version = $2 for update", [tenth.rows[0].secret_id, tenth.rows[0].version]);
      const child = spawn(process.execPath, [CLI, "keys", "rewrap", "--batch-size", "3"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = once(child, "exit");
      try {
        await until(() => out.includes("rewrapped 9, 15 remaining"), () => out);
        await until(async () => (await blocker.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0].n === 1, () => "the CLI never blocked");
        child.kill("SIGKILL");
        const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
        expect(signal).toBe("SIGKILL");
      } finally {
        await blocker.query("rollback");
        await blocker.end();
      }
      expect(out).not.toContain("Done:");
      expect(await getKeyringStatus(database.db)).toMatchObject({ onActive: 9, remaining: SECRETS - 9 });

      const reloaded = await loadKeysFor(database.db, { env, dataDir, allowCreate: false, at });
      for (let i = 0; i < SECRETS; i++) expect(await readSecretValue(database.db, reloaded.envelope, { environmentId: await defaultEnvironmentId(database.db), name: `CLI_KILL_${String(i).padStart(2, "0")}` })).toEqual({ kind: "ok", value: `value-${i}`, version: 1 });

      const refused = await cli(["keys", "retire", oldId], env);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain(`${SECRETS - 9} data key(s) still need ${oldId}`);
      const resumed = await cli(["keys", "rewrap"], env);
      expect(resumed.code, resumed.out).toBe(0);
      expect(resumed.out).toContain(`Done: ${SECRETS - 9} data key(s) rewrapped; 0 remaining.`);
      const retired = await cli(["keys", "retire", oldId], env);
      expect(retired.code, retired.out).toBe(0);

      const final = await loadKeysFor(database.db, { env, dataDir, allowCreate: false, at });
      expect(final.envelope.hasKey(oldId)).toBe(false);
      for (let i = 0; i < SECRETS; i++) expect(await readSecretValue(database.db, final.envelope, { environmentId: await defaultEnvironmentId(database.db), name: `CLI_KILL_${String(i).padStart(2, "0")}` })).toMatchObject({ kind: "ok", value: `value-${i}` });
      const status = await cli(["keys", "status"], env);
      expect(status.out).toContain(`${oldId}  retired   0 data key(s)`);
      expect((await cli(["audit", "verify"], env)).out).toMatch(/^OK: \d+ audit row\(s\), the chain is intact\.\n$/);
    } finally {
      await database.close();
    }
  }, 240_000);
});
