import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadOrCreateKeyFile, masterKeyFingerprint } from "@keyward/common";
import { describe, expect, it } from "vitest";
import { startSecretsService } from "../src/index.js";
import { adminApi, baseEnv, CLI, closedPort, freshPostgresUrl, tmpDir } from "./helpers.js";

// doctor runs as the real CLI process; each problem must be found, explained and exit non-zero.
function doctor(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, "doctor", ...args], { env: { ...baseEnv(), ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const line = (out: string, name: string) => out.split("\n").find((l) => l.includes(` ${name}: `)) ?? "";

/** A data directory with one encrypted value, made by the real service. */
async function dataDirWithOneValue(): Promise<{ dir: string; keyId: string }> {
  const dir = tmpDir("kw-doctor-");
  // expectedSecrets creates the stub that the value is then set on.
  const service = await startSecretsService({ env: {}, dataDir: dir, grpcPort: 0, httpPort: 0, logLevel: "silent", expectedSecrets: [{ name: "STRIPE_API_KEY", description: "Stripe API key" }] });
  try {
    await adminApi(service.adminUrl, service.bootstrapToken!)("PUT", "/api/secrets/STRIPE_API_KEY/value", { value: "sk_test_doctor" });
  } finally {
    await service.close();
  }
  // The database records the master key's check value; doctor compares against it.
  return { dir, keyId: masterKeyFingerprint(loadOrCreateKeyFile(path.join(dir, "master.key"), false).key) };
}

describe("keyward-service doctor", () => {
  it("passes on a healthy data directory and names what it checked", async () => {
    const { dir, keyId } = await dataDirWithOneValue();
    const r = doctor({ KEYWARD_DATA_DIR: dir });
    expect(r.code, r.out + r.err).toBe(0);
    expect(line(r.out, "config")).toMatch(/^ok\s+config: embedded PGlite in/);
    expect(line(r.out, "data directory")).toMatch(/^ok\s+data directory: .* is writable/);
    expect(line(r.out, "database")).toMatch(/^ok\s+database: embedded PGlite .*: 1 encrypted value\(s\), \d+ audit row\(s\)/);
    expect(line(r.out, "master key")).toBe(`ok    master key: ${keyId} from ${path.join(dir, "master.key")} matches the database (1 value(s))`);
    // The default layout keeps the audit keys and checkpoints in the data directory: fine to start, warned about.
    expect(line(r.out, "audit key")).toBe(`WARN  audit key: from ${path.join(dir, "audit.key")}, beside the data: anyone with the data volume or its backups can rewrite the audit chain (and every row's HMAC) without it showing`);
    expect(r.out).toContain(`fix: in production set KEYWARD_AUDIT_KEY from a secret store (not the data volume) and remove ${path.join(dir, "audit.key")}`);
    expect(line(r.out, "audit checkpoints")).toBe(`WARN  audit checkpoints: written to ${path.join(dir, "audit-checkpoints.jsonl")}, inside the data directory: whoever can truncate the log there can usually truncate the checkpoints too`);
    expect(r.out).toContain("No problems found (2 warning(s) above).");
    const json = JSON.parse(doctor({ KEYWARD_DATA_DIR: dir }, "--json").out);
    expect(json.failed).toBe(false);
    expect(json.checks.map((c: { name: string }) => c.name)).toEqual(["config", "data directory", "database", "master key", "audit key", "audit checkpoints", "audit retention"]);
    expect(line(r.out, "audit retention")).toMatch(new RegExp(`^ok\\s+audit retention: 90 days hot, then archived to ${path.join(dir, "audit-archive").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; \\d+ hot partition\\(s\\), 0 archived$`));
    // An archive sink that is not a directory fails the check, naming it.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kw-arch-")), "not-a-dir");
    fs.writeFileSync(file, "x");
    const wrong = doctor({ KEYWARD_DATA_DIR: dir, KEYWARD_AUDIT_ARCHIVE_SINK: file });
    expect(wrong.code).toBe(1);
    expect(line(wrong.out, "audit retention")).toBe(`FAIL  audit retention: the archive sink ${file} is a file, not a directory`);
    // Keys from the environment and checkpoints elsewhere: no warnings left.
    const elsewhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kw-cp-")), "checkpoints.jsonl");
    const audit = fs.readFileSync(path.join(dir, "audit.key"), "utf8").trim();
    const signing = fs.readFileSync(path.join(dir, "audit-signing.key"), "utf8").trim();
    const production = doctor({ KEYWARD_DATA_DIR: dir, KEYWARD_AUDIT_KEY: audit, KEYWARD_AUDIT_SIGNING_KEY: signing, KEYWARD_AUDIT_CHECKPOINT_SINK: elsewhere });
    expect(line(production.out, "audit key")).toBe("ok    audit key: from KEYWARD_AUDIT_KEY");
    expect(line(production.out, "audit checkpoints")).toBe(`ok    audit checkpoints: signed every 300 s to ${elsewhere}`);
    // A misspelled variable would be ignored by start: a warning naming the one it likely meant.
    const typo = doctor({ KEYWARD_DATA_DIR: dir, KEYWARD_HTTP_PROT: "9000" });
    expect(typo.code).toBe(0);
    expect(line(typo.out, "config")).toMatch(/^WARN\s+config: embedded PGlite in/);
    expect(typo.out).toContain("KEYWARD_HTTP_PROT is not a Keyward variable and is ignored: did you mean KEYWARD_HTTP_PORT?");
    // The notification settings are checked as start reads them (start failed on them only after listening).
    const late = doctor({ KEYWARD_DATA_DIR: dir, KEYWARD_ROTATION_CHECK_AT: "25:00" });
    expect(late.code).toBe(1);
    expect(line(late.out, "config")).toMatch(/^FAIL\s+config: invalid configuration:/);
    expect(late.out).toContain('KEYWARD_ROTATION_CHECK_AT must be "HH:MM" (UTC, 24 h), got "25:00"');
    // Beside a running service (the embedded database open), the key is named by its check value, as
    // start prints it, and said to be not compared; the summary counts the warnings.
    const pid = path.join(dir, "pglite", "postmaster.pid");
    fs.writeFileSync(pid, "1\n");
    const running = doctor({ KEYWARD_DATA_DIR: dir });
    fs.rmSync(pid);
    expect(running.code).toBe(0);
    expect(line(running.out, "master key")).toBe(`ok    master key: ${keyId} from ${path.join(dir, "master.key")} (not compared: the database was not inspected)`);
    expect(running.out).toMatch(/No problems found \(\d+ warning\(s\) above(, \d+ check\(s\) skipped)?\)\.\n$/);
    // A bootstrap token file left in the data directory (a start whose output was a log) is warned about.
    const tokenFile = path.join(dir, "bootstrap-admin-token");
    fs.writeFileSync(tokenFile, "kwa_placeholder\n", { mode: 0o600 });
    const leftover = doctor({ KEYWARD_DATA_DIR: dir });
    expect(leftover.code).toBe(0);
    expect(line(leftover.out, "data directory")).toBe(`WARN  data directory: ${dir} is writable, but still holds the first start's bootstrap admin token (${tokenFile})`);
    expect(leftover.out).toContain(`fix: store the token safely, then: rm ${tokenFile}`);
    expect(leftover.out).not.toContain("kwa_placeholder");
  });

  it("(a) finds a missing master key for existing data, and explains not to generate a new one", async () => {
    const { dir, keyId } = await dataDirWithOneValue();
    fs.rmSync(path.join(dir, "master.key"));
    const r = doctor({ KEYWARD_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(line(r.out, "master key")).toMatch(
      new RegExp(`^FAIL\\s+master key: the database holds 1 value\\(s\\) encrypted under master key ${keyId}, but no master key is configured: KEYWARD_MASTER_KEY is unset and .*master\\.key does not exist`),
    );
    expect(r.out).toMatch(/fix: restore .*master\.key from your backup \(mode 0600\), or set KEYWARD_MASTER_KEY to the key; do not generate a new one/);
    expect(r.out).toContain("Problems found");

    // A different key is as bad as none: it cannot decrypt the data.
    const wrong = doctor({ KEYWARD_DATA_DIR: dir, KEYWARD_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") });
    expect(wrong.code).toBe(1);
    const wrongId = masterKeyFingerprint(Buffer.alloc(32, 9));
    expect(line(wrong.out, "master key")).toBe(`FAIL  master key: the master key from KEYWARD_MASTER_KEY (${wrongId}) is not this database's master key (${keyId}): its 1 value(s) cannot be decrypted with it`);
    expect(wrong.out + wrong.err).not.toContain(Buffer.alloc(32, 9).toString("base64"));

    // And start agrees: it refuses rather than generating a new key.
    const start = spawnSync(process.execPath, [CLI, "start", "--data-dir", dir, "--grpc-port", "0", "--http-port", "0"], { env: baseEnv(), encoding: "utf8", timeout: 120_000 });
    expect(start.status).toBe(1);
    expect(start.stderr).toMatch(/holds encrypted values .* but no master key was found/);
    expect(fs.existsSync(path.join(dir, "master.key"))).toBe(false);
  });

  it("(b) finds an unreachable DATABASE_URL (a closed loopback port) without echoing its password", async () => {
    const port = await closedPort();
    const r = doctor({ KEYWARD_DATA_DIR: tmpDir(), DATABASE_URL: `postgres://keyward:hunter2@127.0.0.1:${port}/keyward` });
    expect(r.code).toBe(1);
    expect(line(r.out, "database")).toBe(`FAIL  database: DATABASE_URL is unreachable: nothing accepts connections at 127.0.0.1:${port}/keyward (connection refused)`);
    expect(r.out).toContain("fix: start PostgreSQL there, or correct the host and port in DATABASE_URL");
    expect(r.out + r.err).not.toContain("hunter2");
  });

  it("reports a reachable PostgreSQL, and a database that does not exist there", async () => {
    const url = await freshPostgresUrl();
    const ok = doctor({ KEYWARD_DATA_DIR: tmpDir(), DATABASE_URL: url });
    expect(ok.code, ok.out).toBe(0);
    expect(line(ok.out, "database")).toMatch(/^ok\s+database: PostgreSQL at 127\.0\.0\.1:5432\/keyward_svc_\w+: no Keyward tables yet/);
    const missing = new URL(url);
    missing.pathname = "/keyward_does_not_exist";
    const r = doctor({ KEYWARD_DATA_DIR: tmpDir(), DATABASE_URL: missing.toString() });
    expect(r.code).toBe(1);
    expect(line(r.out, "database")).toMatch(/FAIL\s+database: the database in DATABASE_URL .*keyward_does_not_exist.* does not exist/);
  });

  // As root, permission bits do not stop writes, so these make writing fail for root too.
  it("(c) finds a data directory that cannot be created because a path component is a regular file", () => {
    const parent = tmpDir();
    fs.writeFileSync(path.join(parent, "not-a-dir"), "");
    const dir = path.join(parent, "not-a-dir", "data");
    const r = doctor({ KEYWARD_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(line(r.out, "data directory")).toBe(`FAIL  data directory: ${dir} cannot be created: ${path.join(parent, "not-a-dir")} is a file, not a directory`);
    expect(r.out).toMatch(/fix: set KEYWARD_DATA_DIR \(or --data-dir\) to a directory the service's user can write/);
  });

  it("(c) finds a data directory that is a file", () => {
    const file = path.join(tmpDir(), "data");
    fs.writeFileSync(file, "");
    const r = doctor({ KEYWARD_DATA_DIR: file });
    expect(r.code).toBe(1);
    expect(line(r.out, "data directory")).toBe(`FAIL  data directory: ${file} is a file, not a directory`);
  });

  it("(c) finds an existing data directory that nobody, root included, can write (immutable attribute)", (ctx) => {
    const dir = tmpDir();
    // chattr +i stops even root from creating files; skip where the file system does not support it.
    if (spawnSync("chattr", ["+i", dir]).status !== 0) return ctx.skip();
    try {
      const r = doctor({ KEYWARD_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(line(r.out, "data directory")).toBe(`FAIL  data directory: ${dir} is not writable: permission denied (check its owner and mode, or an immutable attribute: lsattr -d)`);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      spawnSync("chattr", ["-i", dir]);
    }
  });

  it("explains a bad configuration and skips the checks that need it", () => {
    const r = doctor({ KEYWARD_GRPC_PORT: "99999", DATABASE_URL: "mysql://u:pw@h/db" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL\s+config: invalid configuration:/);
    expect(r.out).toContain('KEYWARD_GRPC_PORT must be <= 65535 (got "99999")');
    expect(r.out).toContain("DATABASE_URL must match pattern");
    expect(r.out).not.toContain("pw@h");
    expect(r.out).toMatch(/skip\s+database: needs a valid configuration/);
  });

  it("says there is nothing yet for a fresh data directory", () => {
    const r = doctor({ KEYWARD_DATA_DIR: path.join(tmpDir(), "new") });
    expect(r.code, r.out).toBe(0);
    expect(line(r.out, "data directory")).toMatch(/does not exist yet; start creates it/);
    expect(line(r.out, "master key")).toMatch(/none yet; start generates .*master\.key/);
  });

  it("--help explains the command; unknown flags are usage errors", () => {
    const help = doctor({}, "--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: keyward-service doctor/);
    const bad = doctor({}, "--verbose");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown flag --verbose \(see --help for the flags\)/);
  });
});
