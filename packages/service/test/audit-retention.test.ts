import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { signingKeysFromSeed, systemClock } from "@keyward/common";
import { appendAudit, connectPostgres, listAuditPartitions, migrateToLatest, verifyAuditChain, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate, layoutPastAuditPartitions } from "@keyward/db/testing";
import { createDirectorySink, verifyArchive, verifyArchiveSet, type ArchiveSink, type ArchiveSummary } from "@keyward/audit-archive";
import { archiveAuditPartition, runAuditRetention, type ArchivePartitionDeps } from "../src/audit-retention/index.js";
import { runAuditCommand } from "../src/commands/audit.js";
import { runBackupCommand } from "../src/commands/backup.js";
import { runRestoreCommand } from "../src/commands/restore.js";
import { baseEnv, freshPostgresUrl, runInProcess, tmpDir } from "./helpers.js";

// Issue #21: partitions past the hot window are archived to a sink, verified there, then dropped;
// the archives verify on their own and link to each other and to the rows still in the database.

const DAY = 86_400_000;
const auditKey = randomBytes(32);
const seed = randomBytes(32);
const signer = signingKeysFromSeed(seed);
const freshPglite = createPgliteTemplate();

async function freshPg(): Promise<KeywardDatabase> {
  const database = connectPostgres(await freshPostgresUrl());
  await migrateToLatest(database.db);
  return database;
}

/** Weekly partitions from 40 days ago, three rows in each of six weeks and three today. */
async function seedWeeks(database: KeywardDatabase): Promise<number> {
  await layoutPastAuditPartitions(database.db, { from: new Date(Date.now() - 40 * DAY), periodDays: 7 });
  let n = 0;
  for (const daysAgo of [39, 33, 26, 19, 12, 5, 0]) {
    for (let i = 0; i < 3; i++) {
      await appendAudit(database.db, auditKey, { at: new Date(Date.now() - daysAgo * DAY + i), actor_type: "service", actor_id: `tok-${i}`, action: "secret.read", target: "secret:A", result: "ok" });
      n++;
    }
  }
  return n;
}

const depsFor = (database: KeywardDatabase, sink: ArchiveSink, extra: Partial<ArchivePartitionDeps> = {}): ArchivePartitionDeps => ({
  db: database.db,
  auditKey,
  signer,
  sink,
  clock: systemClock,
  actor: { type: "system", id: "keyward" },
  ...extra,
});

async function summaries(sink: ArchiveSink): Promise<ArchiveSummary[]> {
  const out: ArchiveSummary[] = [];
  for (const name of await sink.list()) {
    const check = await verifyArchive(await sink.get(name), { publicKey: signer.publicKey, auditKey, name });
    if (!check.ok) throw new Error(`${name}: ${check.message}`);
    out.push(check.summary);
  }
  return out;
}

describe.each([
  ["pglite", freshPglite],
  ["postgres", freshPg],
] as const)("audit retention on %s", (_name, fresh) => {
  it("archives every partition past the hot window, drops it, and the archives and the log link up", { timeout: 120_000 }, async () => {
    const database = await fresh();
    const dir = tmpDir("kw-archive-");
    try {
      const rows = await seedWeeks(database);
      const sink = createDirectorySink({ dir });
      const run = await runAuditRetention(depsFor(database, sink), { hotDays: 14, partitionDays: 7 });
      const archived = run.outcomes.filter((o) => o.outcome === "archived");
      // The first partition (everything before 40 days ago) is empty; the weeks holding the rows of
      // 39, 33 and 26 days ago ended more than 14 days ago; the week holding 19 days ago ends later.
      expect(run.outcomes[0]).toEqual({ outcome: "dropped_empty", partition: "audit_log_initial" });
      expect(archived.map((o) => o.outcome === "archived" && o.rows)).toEqual([3, 3, 3]);
      expect(run.outcomes.filter((o) => o.outcome === "skipped")).toEqual([]);

      const partitions = await listAuditPartitions(database.db);
      expect(partitions.filter((p) => p.state === "archived")).toHaveLength(3);
      for (const p of partitions.filter((p) => p.state !== "hot")) {
        expect(await database.db.selectFrom("audit_log").select("seq").where("at", ">=", new Date(p.starts_at ?? 0)).where("at", "<", new Date(p.ends_at)).execute()).toEqual([]);
      }
      // Every row is either still in the database or in exactly one archive.
      const all = await summaries(sink);
      const hot = await database.db.selectFrom("audit_log").select(["seq", "prev_hash", "action"]).orderBy("seq").execute();
      expect(all.reduce((s, a) => s + a.rows, 0) + hot.filter((r) => r.action !== "audit.archive").length).toBe(rows);
      expect(verifyArchiveSet(all, { fromGenesis: true, hotHead: { seq: Number(hot[0]!.seq), prevHash: hot[0]!.prev_hash } })).toMatchObject({ ok: true, archives: 3, firstSeq: 1, lastSeq: 9, hot: "linked" });
      // The rows left verify from the newest archive's end; each drop is audited.
      expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: hot.length });
      expect(hot.filter((r) => r.action === "audit.archive")).toHaveLength(4);

      // A second pass finds nothing more to do.
      expect((await runAuditRetention(depsFor(database, sink), { hotDays: 14, partitionDays: 7 })).outcomes).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("a crash after the archive is stored and before the drop leaves the partition; the next run reuses the archive", { timeout: 120_000 }, async () => {
    const database = await fresh();
    try {
      await seedWeeks(database);
      const sink = createDirectorySink({ dir: tmpDir("kw-archive-") });
      const [oldest] = (await listAuditPartitions(database.db)).filter((p) => p.state === "hot" && p.starts_at !== null);
      const crash = depsFor(database, sink, { beforeDrop: async () => Promise.reject(new Error("crash before the drop")) });
      await expect(archiveAuditPartition(crash, oldest!)).rejects.toThrow(/crash before the drop/);
      expect((await listAuditPartitions(database.db)).find((p) => p.name === oldest!.name)?.state).toBe("hot");
      expect(await sink.list()).toHaveLength(1);
      const again = await archiveAuditPartition(depsFor(database, sink), oldest!);
      expect(again).toMatchObject({ outcome: "archived", reused: true, rows: 3 });
      expect(await verifyAuditChain(database.db, auditKey)).toMatchObject({ ok: true });
    } finally {
      await database.close();
    }
  });

  it("a crash while the archive is written leaves no archive and the partition in place", { timeout: 120_000 }, async () => {
    const database = await fresh();
    try {
      await seedWeeks(database);
      const dir = tmpDir("kw-archive-");
      const real = createDirectorySink({ dir });
      // The sink's input dies part-way, as when the process is killed mid-write.
      const dying: ArchiveSink = {
        ...real,
        description: real.description,
        put: (name: string, body: Readable) => {
          async function* cut() {
            let bytes = 0;
            for await (const chunk of body as AsyncIterable<Buffer>) {
              bytes += chunk.length;
              if (bytes > 40) throw new Error("killed mid-write");
              yield chunk;
            }
          }
          return real.put(name, Readable.from(cut()));
        },
      };
      const [oldest] = (await listAuditPartitions(database.db)).filter((p) => p.state === "hot" && p.starts_at !== null);
      await expect(archiveAuditPartition(depsFor(database, dying), oldest!)).rejects.toThrow();
      expect(await real.list()).toEqual([]);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl.gz"))).toEqual([]);
      expect((await listAuditPartitions(database.db)).find((p) => p.name === oldest!.name)?.state).toBe("hot");
      expect(await archiveAuditPartition(depsFor(database, real), oldest!)).toMatchObject({ outcome: "archived", reused: false });
    } finally {
      await database.close();
    }
  });
});

describe("keyward-service audit archive, partitions and verify-archive (PostgreSQL)", () => {
  it("archives from the command line, lists partitions, and names an altered or missing archive", { timeout: 120_000 }, async () => {
    const url = await freshPostgresUrl();
    const database = connectPostgres(url);
    const dataDir = tmpDir();
    const env = { ...baseEnv(), DATABASE_URL: url, KEYWARD_DATA_DIR: dataDir, KEYWARD_AUDIT_KEY: auditKey.toString("base64"), KEYWARD_AUDIT_SIGNING_KEY: seed.toString("base64"), KEYWARD_AUDIT_HOT_DAYS: "14", KEYWARD_AUDIT_PARTITION_DAYS: "7" };
    const run = (argv: string[]) => runInProcess(runAuditCommand, argv, env);
    try {
      await migrateToLatest(database.db);
      await seedWeeks(database);
      const archived = await run(["archive"]);
      expect(archived).toMatchObject({ code: 0, stdout: `4 of 4 partition(s) archived to directory ${path.join(dataDir, "audit-archive")}.\n` });
      expect(archived.stderr).toMatch(/\[1\/4\] audit_log_initial: empty, dropped\n\[2\/4\] audit_log_p\d{8}t0000: 3 row\(s\) → audit-0{19}1-0{19}3\.jsonl\.gz/);
      const listed = await run(["partitions", "--json"]);
      const partitions = JSON.parse(listed.stdout) as { name: string; state: string; row_count: number | null }[];
      expect(partitions.filter((p) => p.state === "archived")).toHaveLength(3);
      // Hot partitions are counted when listed (row_count is recorded only when one is archived).
      const hot = partitions.filter((p) => p.state === "hot");
      expect(hot.length).toBeGreaterThan(0);
      const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(database.db);
      expect(hot.reduce((n, p) => n + (p.row_count ?? -1000), 0)).toBe(counted[0]!.n);
      expect((await run(["partitions"])).stdout).toMatch(/^PARTITION\s+STATE\s+FROM\s+TO\s+ROWS\s+ARCHIVE\n/);
      expect(await run(["verify"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: \d+ audit row\(s\), the chain is intact/) });

      const dir = path.join(dataDir, "audit-archive");
      const files = fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl.gz")).sort().map((f) => path.join(dir, f));
      expect(files).toHaveLength(3);
      const ok = await run(["verify-archive", ...files]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("OK: the 3 archives link up, seq 1–9.");

      // One row edited inside an archive (re-gzipped, so only the contents changed) is named.
      const lines = gunzipSync(fs.readFileSync(files[1]!)).toString("utf8").split("\n");
      lines[2] = lines[2]!.replace('"secret:A"', '"secret:B"');
      const altered = path.join(tmpDir(), path.basename(files[1]!));
      fs.writeFileSync(altered, gzipSync(lines.join("\n")));
      const tampered = await run(["verify-archive", altered]);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toMatch(/^TAMPERED: /);

      // A missing archive in the middle is named as a gap.
      const gap = await run(["verify-archive", files[0]!, files[2]!]);
      expect(gap.code).toBe(1);
      expect(gap.stdout).toMatch(/GAP: .*rows 4–6/);
      expect(await run(["verify-archive"])).toMatchObject({ code: 2 });
    } finally {
      await database.close();
    }
  });
});

describe("backup and restore of an instance whose older audit rows were archived (PostgreSQL)", () => {
  it("carries the archived partitions' registry, so the restored log still links to its archives and verifies", { timeout: 180_000 }, async () => {
    const keys = { ...baseEnv(), KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: auditKey.toString("base64"), KEYWARD_AUDIT_SIGNING_KEY: seed.toString("base64"), KEYWARD_PASSPHRASE_SCRYPT_N: "16384" };
    const source = { ...keys, DATABASE_URL: await freshPostgresUrl(), KEYWARD_DATA_DIR: tmpDir() };
    const database = connectPostgres(source.DATABASE_URL);
    try {
      await migrateToLatest(database.db);
      await seedWeeks(database);
      const run = await runAuditRetention(depsFor(database, createDirectorySink({ dir: tmpDir("kw-archive-") })), { hotDays: 14, partitionDays: 7 });
      expect(run.outcomes.filter((o) => o.outcome === "archived")).toHaveLength(3);
    } finally {
      await database.close();
    }
    const passphrase = "restore drill " + randomBytes(4).toString("hex");
    const file = path.join(tmpDir("kw-backup-out-"), "archived.kwbackup");
    const made = await runInProcess(runBackupCommand, ["--out", file, "--passphrase-stdin"], source, passphrase + "\n");
    expect(made.code, made.stderr).toBe(0);

    const target = { ...keys, DATABASE_URL: await freshPostgresUrl(), KEYWARD_DATA_DIR: tmpDir() };
    const done = await runInProcess(runRestoreCommand, ["--in", file, "--passphrase-stdin"], target, passphrase);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(done.stdout).toMatch(/Audit chain: OK: \d+ audit row\(s\), the chain is intact/);
    const restored = connectPostgres(target.DATABASE_URL);
    try {
      const partitions = await listAuditPartitions(restored.db);
      expect(partitions.filter((p) => p.state === "archived").map((p) => [p.first_seq, p.last_seq])).toEqual([
        [1, 3],
        [4, 6],
        [7, 9],
      ]);
      // The target's own hot partitions hold the restored rows; the source's archived first partition kept its record under another name.
      expect(partitions.find((p) => p.name === "audit_log_initial")?.state).toBe("hot");
      expect(partitions.some((p) => p.name === "audit_log_initial_restored" && p.state === "dropped_empty")).toBe(true);
      expect(await verifyAuditChain(restored.db, auditKey)).toMatchObject({ ok: true });
    } finally {
      await restored.close();
    }
  });
});
