import fs from "node:fs";
import path from "node:path";
import { randomBytes, generateKeyPairSync } from "node:crypto";
import { createSecretsClient } from "@keyward/secrets";
import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { BACKUP_TABLES, migrations, connectDatabase, countArchivedAuditPartitions, countNonSeedEnvironments, countRows, primaryKeyColumns, readRowsPage, type KeywardDatabase } from "@keyward/db";
import { runBackupCommand } from "../src/commands/backup.js";
import { runRestoreCommand } from "../src/commands/restore.js";
import { startSecretsService } from "../src/index.js";
import { wrapToPassphrase } from "../src/backup/content-key.js";
import { writeBackup } from "../src/backup/write-backup.js";
import { adminApi, baseEnv, freshPostgresUrl, runInProcess, tmpDir } from "./helpers.js";

// keyward-service backup / restore (issue #15): real databases both ways (PGlite and the real
// PostgreSQL), a real service on the restored data reading a value over gRPC, and the refusals.
const schema = { properties: { API_KEY: { description: "the API key" } } } as const;
const PASSPHRASE = "correct horse battery staple " + randomBytes(4).toString("hex");

type Storage = { dataDir: string; databaseUrl?: string };
const keysEnv = () => ({
  ...baseEnv(),
  KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"),
  KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"),
  // The cheapest scrypt Keyward allows, so the tests stay quick (the header records it).
  KEYWARD_PASSPHRASE_SCRYPT_N: "16384",
});
const envFor = (keys: NodeJS.ProcessEnv, storage: Storage): NodeJS.ProcessEnv => ({ ...keys, KEYWARD_DATA_DIR: storage.dataDir, ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}) });
const pglite = async (): Promise<Storage> => ({ dataDir: tmpDir("kw-backup-") });
const postgres = async (): Promise<Storage> => ({ dataDir: tmpDir("kw-backup-"), databaseUrl: await freshPostgresUrl() });

async function withDatabase<T>(storage: Storage, fn: (database: KeywardDatabase) => Promise<T>): Promise<T> {
  const database = await connectDatabase(storage);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Rows per backed-up table, plus the outbox (left out of a backup; a restore must not fill it). */
const tableCounts = (storage: Storage) =>
  withDatabase(storage, async (database) => {
    const counts: Record<string, number> = {};
    // audit_partitions: the target keeps its own hot partitions; only archived entries are restored (audit-retention.test.ts).
    for (const table of [...BACKUP_TABLES.filter((t) => t !== "audit_partitions"), "outbox"]) counts[table] = await countRows(database.db, table);
    return counts;
  });

/** Every row of every backed-up table as PostgreSQL's JSON (timestamps in UTC, to the microsecond). */
const allRows = (storage: Storage) =>
  withDatabase(storage, (database) =>
    database.db.transaction().execute(async (trx) => {
      await sql`set local time zone 'UTC'`.execute(trx);
      const rows: Record<string, unknown[]> = {};
      for (const table of BACKUP_TABLES.filter((t) => t !== "audit_partitions")) rows[table] = await readRowsPage(trx, table, await primaryKeyColumns(trx, table), undefined, 100_000);
      return rows;
    }),
  );

/**
 * A source with something in most tables: an approved token, a secret with two versions and a
 * granted access request, a change request held in protected production, the audit log of it all.
 * Returns the token and the current value.
 */
async function seed(keys: NodeJS.ProcessEnv, storage: Storage): Promise<{ token: string; value: string }> {
  const service = await startSecretsService({ env: envFor(keys, storage), ...storage, grpcPort: 0, httpPort: 0, logLevel: "silent" });
  const token = "kws_" + randomBytes(32).toString("base64url");
  const client = createSecretsClient(schema, { url: service.grpcAddress, token, serviceName: "billing" });
  const value = "sk_live_" + randomBytes(12).toString("hex");
  try {
    const admin = adminApi(service.adminUrl, service.bootstrapToken!);
    expect(await client.register()).toBe("pending");
    const pending = await admin("GET", "/api/service-tokens?status=pending");
    await admin("POST", `/api/service-tokens/${pending.items[0].id}/approve`);
    await expect(client.getSecret("API_KEY")).rejects.toThrow();
    await admin("PUT", "/api/secrets/API_KEY/value", { value: "first-" + value });
    await admin("PUT", "/api/secrets/API_KEY/value", { value });
    const requests = await admin("GET", "/api/access-requests?status=pending");
    await admin("POST", `/api/access-requests/${requests.items[0].id}/approve`);
    // A change request: production is protected, so setting a value there waits for another admin.
    const prod = createSecretsClient(schema, { url: service.grpcAddress, token: "kws_" + randomBytes(32).toString("base64url"), serviceName: "billing", environment: "production" });
    try {
      await prod.register();
      await expect(prod.getSecret("API_KEY")).rejects.toThrow();
    } finally {
      prod.close();
    }
    const held = await fetch(`${service.adminUrl}/api/secrets/API_KEY/value?environment=production`, {
      method: "PUT",
      headers: { authorization: `Bearer ${service.bootstrapToken}`, "content-type": "application/json" },
      body: JSON.stringify({ value: "prod-" + value }),
    });
    expect(held.status).toBe(202);
    expect(await client.getSecret("API_KEY")).toBe(value);
  } finally {
    client.close();
    await service.close();
  }
  return { token, value };
}

/** Starts a service on restored data and reads the value over gRPC with the source's token. */
async function readOnRestored(keys: NodeJS.ProcessEnv, storage: Storage, token: string): Promise<string> {
  const service = await startSecretsService({ env: envFor(keys, storage), ...storage, grpcPort: 0, httpPort: 0, logLevel: "silent" });
  const client = createSecretsClient(schema, { url: service.grpcAddress, token, serviceName: "billing" });
  try {
    return await client.getSecret("API_KEY");
  } finally {
    client.close();
    await service.close();
  }
}

const backup = (argv: string[], env: NodeJS.ProcessEnv, stdin?: string) => runInProcess(runBackupCommand, argv, env, stdin);
const restore = (argv: string[], env: NodeJS.ProcessEnv, stdin?: string) => runInProcess(runRestoreCommand, argv, env, stdin);

describe("keyward-service backup / restore round trip", () => {
  it("PGlite → PostgreSQL with a passphrase: same rows, chain verified, the value reads over gRPC", async () => {
    const keys = keysEnv();
    const source = await pglite();
    const { token, value } = await seed(keys, source);
    const before = await tableCounts(source);
    const sourceRows = await allRows(source);
    const file = path.join(tmpDir("kw-backup-out-"), "keyward.kwbackup");

    const made = await backup(["--out", file, "--passphrase-stdin"], envFor(keys, source), PASSPHRASE + "\n");
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(new RegExp(`^Backup written to .*keyward\\.kwbackup: \\d+ row\\(s\\) in ${BACKUP_TABLES.length} tables, \\d+ bytes, encrypted to a passphrase\\.\\n`));
    expect(made.stdout).toContain("neither is in the archive");
    expect(made.stderr).toMatch(/ {2}audit_log: \d+ row\(s\)\n/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    // The source records that a copy of everything was taken (after the snapshot: not in the archive).
    const recordedBackup = await withDatabase(source, (database) => database.db.selectFrom("audit_log").select(["seq", "action", "actor_type", "result", "reason"]).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow());
    expect(recordedBackup).toEqual({ seq: before.audit_log! + 1, action: "instance.backup", actor_type: "cli", result: "ok", reason: expect.stringMatching(/^\d+ row\(s\), encrypted to a passphrase$/) });
    // The file holds neither the value (ciphertext, and encrypted again) nor the token, not even its hash in clear.
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from(value))).toBe(false);
    expect(bytes.includes(Buffer.from("API_KEY"))).toBe(false);

    const target = await postgres();
    const done = await restore(["--in", file, "--passphrase-stdin"], envFor(keys, target), PASSPHRASE);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`^Restored \\d+ row\\(s\\) in ${BACKUP_TABLES.length} tables\\.\\nAudit chain: OK: \\d+ audit row\\(s\\), the chain is intact`));
    expect(done.stdout).toMatch(/Master key \(KEYWARD_MASTER_KEY\) matches the archive's/);
    // Issue #17: with the master key in place, each current value is checked against its type and rules.
    expect(done.stdout).toContain("Values: 1 current value(s) pass their type and declared rules.\n");
    // Every table as in the source, plus the restore's own audit row; no outbox event replayed.
    const after = await tableCounts(target);
    expect(after).toEqual({ ...before, audit_log: before.audit_log! + 1, outbox: 0 });
    const last = await withDatabase(target, (database) => database.db.selectFrom("audit_log").select(["seq", "action", "actor_type", "target", "result"]).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow());
    expect(last).toEqual({ seq: before.audit_log! + 1, action: "instance.restore", actor_type: "cli", target: expect.stringMatching(/^backup:\d{4}-/), result: "ok" });
    expect(before.change_requests).toBe(1);
    // Not only the counts: every row is the same, byte for byte (ciphertexts, hashes, microseconds).
    const restoredRows = await allRows(target);
    expect({ ...restoredRows, audit_log: restoredRows.audit_log!.slice(0, -1) }).toEqual(sourceRows);
    expect(before.secret_versions).toBe(2);

    expect(await readOnRestored(keys, target, token)).toBe(value);
    for (const out of [made.stdout, made.stderr, done.stdout, done.stderr]) {
      for (const secret of [value, PASSPHRASE, token, keys.KEYWARD_MASTER_KEY!]) expect(out).not.toContain(secret);
    }
  });

  it("PostgreSQL → PGlite to an X25519 recipient (keygen), with the archive's checkpoint verified", async () => {
    const keys = keysEnv();
    const source = await postgres();
    const { token, value } = await seed(keys, source);
    // A signed checkpoint in the source's sink: the archive carries it and restore checks the log holds it.
    const { runAuditCommand } = await import("../src/commands/audit.js");
    const sink = path.join(source.dataDir, "audit-checkpoints.jsonl");
    if (!fs.existsSync(sink)) {
      const cp = await runInProcess(runAuditCommand, ["checkpoint", "--output", sink], envFor(keys, source));
      expect(cp.code, cp.stderr).toBe(0);
      fs.writeFileSync(sink, JSON.stringify(JSON.parse(fs.readFileSync(sink, "utf8"))) + "\n");
    }
    const before = await tableCounts(source);

    const keyDir = path.join(tmpDir("kw-backup-keys-"), "keys");
    const gen = await backup(["keygen", "--out", keyDir], baseEnv());
    expect(gen.code, gen.stderr).toBe(0);
    expect(fs.statSync(path.join(keyDir, "backup-identity.key")).mode & 0o777).toBe(0o600);
    expect(gen.stdout).not.toContain("PRIVATE KEY");
    expect((await backup(["keygen", "--out", keyDir], baseEnv())).stderr).toMatch(/already exists; backup keygen never overwrites a key/);

    const file = path.join(tmpDir("kw-backup-out-"), "pg.kwbackup");
    const made = await backup(["--out", file, "--recipient", path.join(keyDir, "backup-recipient.pub")], envFor(keys, source));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/encrypted to recipient [0-9a-f]{64}\./);

    const target = await pglite();
    const done = await restore(["--in", file, "--identity", path.join(keyDir, "backup-identity.key")], envFor(keys, target));
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(done.stdout).toMatch(/Audit chain: OK: \d+ audit row\(s\), the chain is intact and contains the archive's newest checkpoint \(seq \d+, /);
    expect(await tableCounts(target)).toEqual({ ...before, audit_log: before.audit_log! + 1, outbox: 0 });
    expect(await readOnRestored(keys, target, token)).toBe(value);
    // The restored instance keeps working as itself: its own audit verify passes after the service ran.
    const verify = await runInProcess(runAuditCommand, ["verify"], envFor(keys, target));
    expect(verify.stdout, verify.stderr).toMatch(/^OK: \d+ audit row\(s\), the chain is intact/);
    for (const out of [made.stdout, made.stderr, done.stdout, done.stderr]) for (const secret of [value, token]) expect(out).not.toContain(secret);
  });
});

describe("keyward-service backup paging", () => {
  it("pages every table by its primary key (one row a page; composite keys too) and restores every row", async () => {
    const keys = keysEnv();
    const source = await postgres();
    await seed(keys, source);
    // The type was tightened after the value was stored (issue #17): restore keeps the value and names it.
    await withDatabase(source, (database) => database.db.updateTable("secret_definitions").set({ type: "llm-api-key" }).where("name", "=", "API_KEY").execute());
    const sourceRows = await allRows(source);
    expect(sourceRows.secret_versions).toHaveLength(2);
    const file = path.join(tmpDir("kw-backup-out-"), "paged.kwbackup");
    const lines: string[] = [];
    await withDatabase(source, (database) =>
      writeBackup({ database, out: file, wrap: (key) => wrapToPassphrase(key, PASSPHRASE, { N: 16384, r: 8, p: 1 }), checkpoint: null, host: "test", now: new Date(), progress: (l) => lines.push(l), pageRows: 1 }),
    );
    expect(lines).toContain("  secret_versions: 2 row(s)");
    const target = await pglite();
    const done = await restore(["--in", file, "--passphrase-stdin"], envFor(keys, target), PASSPHRASE);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    const restoredRows = await allRows(target);
    expect({ ...restoredRows, audit_log: restoredRows.audit_log!.slice(0, -1) }).toEqual(sourceRows);
    expect(done.stdout).toContain(
      "Values: 1 of 1 current value(s) do not pass their type or declared rules (kept as they were; set a new value to fix):\n  development/API_KEY: type llm-api-key: must start with sk- (OpenAI sk-… or sk-proj-…, Anthropic sk-ant-…)\n",
    );
  });
});

describe("keyward-service backup, recorded before it appears", () => {
  it("deletes a complete archive whose audit row could not be written, and publishes one whose row was", async () => {
    const keys = keysEnv();
    const source = await pglite();
    await seed(keys, source);
    const dir = tmpDir("kw-backup-out-");
    const file = path.join(dir, "unrecorded.kwbackup");
    const options = { out: file, wrap: (key: Buffer) => wrapToPassphrase(key, PASSPHRASE, { N: 16384, r: 8, p: 1 }), checkpoint: null, host: "test", now: new Date(), progress: () => undefined };
    let seen: string[] = [];
    const failing = withDatabase(source, (database) =>
      writeBackup({
        database,
        ...options,
        record: async () => {
          // The archive is complete (not yet under its name) when it is recorded.
          seen = fs.readdirSync(dir);
          throw new Error("audit unavailable");
        },
      }),
    );
    await expect(failing).rejects.toThrow("audit unavailable");
    expect(seen).toEqual(["unrecorded.kwbackup.partial"]);
    expect(fs.readdirSync(dir)).toEqual([]);
    let recorded = 0;
    await withDatabase(source, (database) => writeBackup({ database, ...options, record: async () => void (recorded += 1) }));
    expect(recorded).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(["unrecorded.kwbackup"]);
  });
});

describe("keyward-service backup / restore refusals", () => {
  it("names missing and conflicting flags (exit 2) before touching anything", async () => {
    const env = { ...baseEnv(), KEYWARD_DATA_DIR: "/nonexistent" };
    const cases: [typeof backup, string[], RegExp][] = [
      [backup, [], /backup needs --out FILE/],
      [backup, ["--out", "/tmp/x"], /exactly one of --recipient PUBKEY_FILE or --passphrase-stdin/],
      [backup, ["--out", "/tmp/x", "--recipient", "a", "--passphrase-stdin"], /exactly one of --recipient/],
      [backup, ["keygen"], /backup keygen needs --out DIR/],
      [backup, ["keygen", "--out", "d", "--passphrase-stdin"], /--passphrase-stdin does not apply to backup keygen/],
      [backup, ["now", "--out", "x"], /unknown backup action "now"/],
      [restore, [], /restore needs --in FILE/],
      [restore, ["--in", "x"], /exactly one of --identity PRIVKEY_FILE or --passphrase-stdin/],
      [restore, ["--in", "x", "--identity", "k", "--passphrase-stdin"], /exactly one of --identity/],
      [restore, ["--in", "x", "--force"], /unknown flag --force \(see --help for the flags\)/],
    ];
    for (const [run, argv, message] of cases) {
      const r = await run(argv, env);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(message);
    }
  });

  it("refuses a wrong passphrase or key, a changed or truncated file, another format version and a non-empty target; writes nothing and restores after", async () => {
    const keys = keysEnv();
    const source = await postgres();
    const { value } = await seed(keys, source);
    const dir = tmpDir("kw-backup-out-");
    const file = path.join(dir, "a.kwbackup");
    expect((await backup(["--out", file, "--passphrase-stdin"], envFor(keys, source), PASSPHRASE)).code).toBe(0);
    expect((await backup(["--out", file, "--passphrase-stdin"], envFor(keys, source), PASSPHRASE)).stderr).toMatch(/a\.kwbackup already exists; name a new file/);
    expect((await backup(["--out", path.join(dir, "short"), "--passphrase-stdin"], envFor(keys, source), "short")).stderr).toMatch(/the passphrase on stdin is 5 characters long; use at least 12/);
    expect((await backup(["--out", path.join(dir, "empty"), "--passphrase-stdin"], envFor(keys, source), "\n")).stderr).toMatch(/the passphrase on stdin is empty/);
    const bytes = fs.readFileSync(file);
    const variant = (name: string, change: (b: Buffer) => Buffer) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, change(Buffer.from(bytes)));
      return p;
    };
    // The body starts after the signature line, the header's length and the header.
    const bodyStart = "KEYWARD-BACKUP\n".length + 4 + bytes.readUInt32BE("KEYWARD-BACKUP\n".length);
    const flipped = variant("flipped", (b) => {
      b[bodyStart + Math.floor((b.length - bodyStart) / 2)]! ^= 0x01;
      return b;
    });
    // The header is in clear but authenticated: a changed date (same length) decrypts and loads every row, then fails GCM's tag and rolls back.
    const headerChanged = variant("header", (b) => Buffer.from(b.toString("latin1").replace(/"createdAt":"\d/, (m) => m.slice(0, -1) + (m.endsWith("1") ? "3" : "1")), "latin1"));
    const truncated = variant("truncated", (b) => b.subarray(0, b.length - 100));
    const version = variant("version", (b) => Buffer.from(b.toString("latin1").replace('"version":1,', '"version":7,'), "latin1"));
    // The archive names the newest migration it was written at; one from a later release is refused
    // (the name keeps its length: the header is length-prefixed).
    const newest = Object.keys(migrations).at(-1)!;
    const future = newest.replace(/^\d{4}/, "9999");
    const newer = variant("newer", (b) => Buffer.from(b.toString("latin1").replace(`"${newest}"`, `"${future}"`), "latin1"));
    const notOurs = variant("not-ours", () => Buffer.from("hello, this is not a backup at all\n"));

    const target = await postgres();
    const env = envFor(keys, target);
    const damaged = "error: the archive is damaged or the key is wrong";
    const attempts: [string[], string | undefined, RegExp | string][] = [
      [["--in", file, "--passphrase-stdin"], "a wrong passphrase!", damaged],
      [["--in", flipped, "--passphrase-stdin"], PASSPHRASE, `${damaged}; nothing was written\n`],
      [["--in", headerChanged, "--passphrase-stdin"], PASSPHRASE, `${damaged}; nothing was written\n`],
      [["--in", truncated, "--passphrase-stdin"], PASSPHRASE, `${damaged}; nothing was written\n`],
      [["--in", version, "--passphrase-stdin"], PASSPHRASE, /the backup has format version 7; this keyward-service reads version 1 only/],
      [["--in", newer, "--passphrase-stdin"], PASSPHRASE, `the archive was made by a newer Keyward (migration ${future}); restore it with that version`],
      [["--in", notOurs, "--passphrase-stdin"], PASSPHRASE, /not a readable Keyward backup: it does not start with the Keyward backup signature/],
      [["--in", path.join(dir, "missing"), "--passphrase-stdin"], PASSPHRASE, /cannot read --in .*missing \(ENOENT\)/],
    ];
    // An identity for an archive made to a passphrase, and vice versa, are named.
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsaPub = path.join(dir, "rsa.pub");
    const rsaKey = path.join(dir, "rsa.key");
    fs.writeFileSync(rsaPub, rsa.publicKey.export({ type: "spki", format: "pem" }));
    fs.writeFileSync(rsaKey, rsa.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    attempts.push([["--in", file, "--identity", rsaKey], undefined, /the archive is encrypted to a passphrase: pass --passphrase-stdin/]);
    for (const [argv, stdin, message] of attempts) {
      const r = await restore(argv, env, stdin);
      expect(r.code, argv.join(" ")).toBe(1);
      if (typeof message === "string") expect(r.stderr, argv.join(" ")).toContain(message);
      else expect(r.stderr, argv.join(" ")).toMatch(message);
      expect(r.stdout + r.stderr).not.toContain(PASSPHRASE);
      expect(r.stdout + r.stderr).not.toContain(value);
      // Nothing was written: every table is empty (the environments and audit_log partitions a fresh migration makes aside).
      if (r.stderr.includes("nothing was written")) {
        await withDatabase(target, async (database) => {
          for (const table of BACKUP_TABLES) if (table !== "environments" && table !== "audit_partitions") expect(await countRows(database.db, table), table).toBe(0);
          expect(await countArchivedAuditPartitions(database.db)).toBe(0);
          expect(await countNonSeedEnvironments(database.db)).toBe(0);
        });
      }
    }

    // An RSA recipient: the wrong identity is named by fingerprint, the right one restores.
    const rsaFile = path.join(dir, "rsa.kwbackup");
    expect((await backup(["--out", rsaFile, "--recipient", rsaPub], envFor(keys, source))).code).toBe(0);
    const other = generateKeyPairSync("x25519");
    const otherKey = path.join(dir, "other.key");
    fs.writeFileSync(otherKey, other.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    const wrongId = await restore(["--in", rsaFile, "--identity", otherKey], env);
    expect(wrongId.code).toBe(1);
    expect(wrongId.stderr).toMatch(/--identity is not the archive's recipient: the archive is for the key with fingerprint [0-9a-f]{64}, this one is [0-9a-f]{64}/);
    expect((await restore(["--in", rsaFile, "--passphrase-stdin"], env, PASSPHRASE)).stderr).toMatch(/the archive is encrypted to a RSA key \(fingerprint [0-9a-f]{64}\): pass --identity/);
    const weak = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const weakPub = path.join(dir, "ec.pub");
    fs.writeFileSync(weakPub, weak.publicKey.export({ type: "spki", format: "pem" }));
    expect((await backup(["--out", path.join(dir, "ec.kwbackup"), "--recipient", weakPub], envFor(keys, source))).stderr).toMatch(/is a ec key; use an X25519 or an RSA \(2048\+ bits\) public key/);

    // A PGlite instance whose service is running is refused before anything is opened.
    const live = await pglite();
    const running = await startSecretsService({ env: envFor(keys, live), ...live, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    try {
      const busy = await restore(["--in", file, "--passphrase-stdin", "--data-dir", live.dataDir], envFor(keys, live), PASSPHRASE);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/the embedded database in .*pglite is open by a running keyward-service/);
    } finally {
      await running.close();
    }

    // After all those refusals the same target takes the archive.
    const ok = await restore(["--in", rsaFile, "--identity", rsaKey], env);
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/Audit chain: OK/);

    // Now it is not empty: a second restore is refused, naming what it found.
    const again = await restore(["--in", file, "--passphrase-stdin"], env, PASSPHRASE);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\nerror: the target database is not empty \(secret_definitions has 1 row\(s\), encryption_keys has 1 row\(s\), .*audit_log has \d+ row\(s\)\); restore only into a new, empty instance\n$/);

    // Without the source's audit key nothing is restored (the chain could not be verified).
    const { KEYWARD_AUDIT_KEY: _audit, ...noAudit } = envFor(keys, await postgres());
    const noKey = await restore(["--in", file, "--passphrase-stdin"], noAudit, PASSPHRASE);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/restore verifies the audit chain with the source's audit key, and there is none here/);

    // A different audit key: the chain does not verify, so the restore rolls back (nothing written);
    // --allow-broken-audit-chain restores anyway, records it and still exits 1.
    const wrongTarget = await postgres();
    const wrongEnv = { ...envFor(keys, wrongTarget), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    const wrongAudit = await restore(["--in", file, "--passphrase-stdin"], wrongEnv, PASSPHRASE);
    expect(wrongAudit.code).toBe(1);
    expect(wrongAudit.stderr).toMatch(/error: the restored audit chain does not verify \(TAMPERED: the first bad row is seq 1: .*\); nothing was written\. Is the audit key/);
    await withDatabase(wrongTarget, async (database) => expect(await countRows(database.db, "audit_log")).toBe(0));
    const anyway = await restore(["--in", file, "--passphrase-stdin", "--allow-broken-audit-chain"], wrongEnv, PASSPHRASE);
    expect(anyway.code).toBe(1);
    expect(anyway.stdout).toMatch(/Audit chain: TAMPERED: the first bad row is seq 1: .* \(restored anyway: --allow-broken-audit-chain/);
    const recorded = await withDatabase(wrongTarget, (database) => database.db.selectFrom("audit_log").select(["action", "result"]).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow());
    expect(recorded).toEqual({ action: "instance.restore", result: "chain_broken" });
  });
});
