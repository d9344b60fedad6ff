import { defaultEnvironmentId } from "../src/testing.js";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope } from "@keyward/common";
import {
  createKeyringEnvelope,
  createSecretStub,
  getKeyringStatus,
  openKeyring,
  readSecretValue,
  retireKek,
  rewrapDataKeys,
  rotateKek,
  setSecretValue,
  verifyAuditChain,
  type KeywardDatabase,
} from "../src/index.js";
import { freshPostgresWithUrl } from "./harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, "fixtures", "rewrap-child.mjs");
const at = new Date("2026-10-11T12:13:14.000Z");

let open: KeywardDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const SECRETS = 30;
const BATCH = 3;

describe("key rotation survives a killed rewrap (PostgreSQL, separate process)", () => {
  it("rotate → rewrap part → SIGKILL mid-batch → every value readable → resume → retire the old KEK", async () => {
    expect(fs.existsSync(path.join(here, "..", "dist", "index.js")), "build @keyward/db first (pnpm turbo run build --filter=@keyward/db)").toBe(true);
    const { database, url } = await freshPostgresWithUrl();
    open = database;
    const { db } = database;
    const master = randomBytes(32);
    const auditKey = randomBytes(32);
    const change = { auditKey, actor: "ops", at };
    const envelope = await createKeyringEnvelope(db, master, change);
    const values = new Map<string, string>();
    for (let i = 0; i < SECRETS; i++) {
      const name = `KILL_${String(i).padStart(2, "0")}`;
      await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name, description: "", requestedBy: "t", at });
      const value = `v-${i}-${randomBytes(4).toString("hex")}`;
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name, value, actor: "t", at });
      values.set(name, value);
    }

    // 1. Rotate.
    const rotated = await rotateKek(db, master, change);
    if (rotated.kind !== "ok") throw new Error(`rotate: ${rotated.kind}`);

    // Hold a lock on the 15th data key, so the child's 5th batch (rows 13-15) blocks inside its transaction.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query("begin");
    // (By key: FOR UPDATE with OFFSET would also lock the skipped rows.)
    const fifteenth = await blocker.query("select secret_id, version from secret_versions order by secret_id, version offset 14 limit 1");
    await blocker.query("select 1 from secret_versions where secret_id = $1 and version = $2 for update", [fifteenth.rows[0].secret_id, fifteenth.rows[0].version]);

    // 2. Rewrap part of the data in another process.
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, DATABASE_URL: url, MASTER: master.toString("base64"), AUDIT: auditKey.toString("base64"), BATCH: String(BATCH) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    try {
      // Four batches committed, and the fifth is waiting on our lock mid-transaction.
      await until(() => stdout.includes("progress 12 18"), () => `child output: ${stdout}${stderr}`);
      await until(async () => (await blocker.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0].n === 1, () => "child never blocked");

      // 3. Kill it.
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
    } finally {
      await blocker.query("rollback");
      await blocker.end();
    }
    expect(stdout).not.toContain("done");

    // The open batch rolled back: exactly the four committed batches moved.
    const mid = await getKeyringStatus(db);
    expect(mid).toMatchObject({ onActive: 12, remaining: SECRETS - 12 });

    // 4. Every value is readable in the half-rewrapped state, with a freshly loaded keyring.
    const reopened = createEnvelope(await openKeyring(db, master, change));
    for (const [name, value] of values) expect(await readSecretValue(db, reopened, { environmentId: await defaultEnvironmentId(db), name })).toEqual({ kind: "ok", value, version: 1 });
    expect(await retireKek(db, rotated.previous, change)).toEqual({ kind: "in_use", dataKeys: SECRETS - 12 });

    // 5. Resume: only what is left is rewrapped.
    const resumed = await rewrapDataKeys(db, await createKeyringEnvelope(db, master, change), { ...change, batchSize: 7 });
    expect(resumed).toEqual({ rewrapped: SECRETS - 12, remaining: 0 });

    // 6. Retire the old KEK; nothing needs it any more.
    expect(await retireKek(db, rotated.previous, change)).toEqual({ kind: "ok", id: rotated.previous });
    const final = await openKeyring(db, master, change);
    expect(final.others).toEqual([]);
    const onlyActive = createEnvelope(final);
    for (const [name, value] of values) expect(await readSecretValue(db, onlyActive, { environmentId: await defaultEnvironmentId(db), name })).toEqual({ kind: "ok", value, version: 1 });
    expect((await getKeyringStatus(db)).keys.map((k) => [k.id, k.status, k.dataKeys])).toEqual([
      [rotated.previous, "retired", 0],
      [rotated.active, "active", SECRETS],
    ]);
    expect(await verifyAuditChain(db, auditKey)).toMatchObject({ ok: true });
  });
});

async function until(check: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
