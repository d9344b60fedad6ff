import fs from "node:fs";
import path from "node:path";
import { unwrap } from "@keyward/admin-client";
import { AUDIT_CHECKPOINT_FILE } from "@keyward/common";
import { createPostgresTestDatabases } from "@keyward/db/testing";
import { startSecretsService } from "@keyward/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli, tmpDir, useService } from "./harness.js";
import { KEY, spawnInPty } from "./pty.js";
import { adminKey, adminOf, expectNoLeak, loggedIn } from "./support.js";

const sut = useService();
const VALUE = "audit_value_never_logged_7f3a";

beforeAll(async () => {
  const admin = adminOf(sut);
  await unwrap(admin.POST("/api/secrets", { body: { name: "AUDITED_KEY", description: "for the audit tests" } }));
  await unwrap(admin.PUT("/api/secrets/{name}/value", { params: { path: { name: "AUDITED_KEY" } }, body: { value: VALUE } }));
});

const auditRows = async () => (await unwrap(adminOf(sut).GET("/api/audit", { params: { query: { limit: 500 } } }))).items;

describe("keyward audit tail", () => {
  it("prints the newest N rows oldest first, as lines or JSON Lines, filtered; never a value", async () => {
    const env = loggedIn(sut);
    const rows = await auditRows();
    const tail = await runCli(["audit", "tail", "-n", "2"], env);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\s*${rows.at(-1)!.seq}  \\S+  admin:(?!admin:)\\S+  ${rows.at(-1)!.action.replace(/\./g, "\\.")}  `));
    const json = await runCli(["audit", "tail", "--json", "--action", "secret.value.set"], env);
    const parsed = json.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(parsed).toEqual([expect.objectContaining({ action: "secret.value.set", target: "secret:AUDITED_KEY", result: "ok", environment: "development" })]);
    const all = await runCli(["audit", "tail", "-n", "1000"], env);
    expect(all.stdout).toMatch(/secret\.value\.set {2}secret:AUDITED_KEY {2}ok {2}\[development\]/);
    expectNoLeak(all, VALUE, sut.token);
    expect((await runCli(["audit", "tail", "-n", "many"], env)).stderr).toMatch(/-n must be a whole number from 0 to 10000, got "many"/);
    expect((await runCli(["audit", "tail", "--since", "yesterday"], env)).stderr).toMatch(/--since must be a date-time such as 2026-11-30T12:00:00Z, got "yesterday"/);
  });

  it("--follow prints new rows as they are written until Ctrl-C (in a pseudo-terminal)", async () => {
    const session = spawnInPty(["audit", "tail", "--follow", "-n", "1", "--interval", "0.2"], loggedIn(sut));
    try {
      await session.waitFor(/\d+ {2}\S+ {2}\S+ {2}[a-z.]+/);
      await unwrap(adminOf(sut).POST("/api/secrets", { body: { name: "FOLLOWED_KEY", description: "made while following" } }));
      await session.waitFor(/secret\.create {2}secret:FOLLOWED_KEY {2}ok/);
      session.write(KEY.ctrlC);
      expect(await session.exit).not.toBe(0);
      expect(session.screen()).not.toContain(VALUE);
    } finally {
      session.kill();
    }
  });

  it("gives a viewer key exit 3 naming the role", async () => {
    const result = await runCli(["audit", "tail"], loggedIn(sut, {}, await adminKey(sut, "viewer")));
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toBe("error: not allowed: the viewer role may not call listAudit\n");
  });
});

describe("keyward audit export", () => {
  it("streams JSON Lines to a file and CSV to stdout; a failed export leaves no file", async () => {
    const env = loggedIn(sut);
    const dir = tmpDir("kw-cli-export-");
    const out = path.join(dir, "audit.jsonl");
    const result = await runCli(["audit", "export", "--out", out], env);
    expect(result.code).toBe(0);
    const written = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(result.stdout).toBe(`exported ${written.length} audit rows (jsonl) to ${out}\n`);
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(written.map((r) => r.seq)).toEqual([...written.map((r) => r.seq)].sort((a, b) => a - b));
    expect(fs.readFileSync(out, "utf8")).not.toContain(VALUE);
    expect(fs.readdirSync(dir)).toEqual(["audit.jsonl"]);

    const csv = await runCli(["audit", "export", "--format", "csv", "--action", "secret.create"], env);
    expect(csv.code).toBe(0);
    const csvLines = csv.stdout.trim().split("\n");
    expect(csvLines[0]).toMatch(/^seq,/);
    expect(csvLines.slice(1).every((l) => l.includes("secret.create"))).toBe(true);
    expect(csvLines.length).toBeGreaterThan(1);

    const missingDir = path.join(dir, "no-such-dir", "audit.jsonl");
    const failed = await runCli(["audit", "export", "--out", missingDir], env);
    expect(failed.code).toBe(EXIT.failed);
    expect(failed.stderr).toBe(`error: the export to ${missingDir} failed (ENOENT); nothing was written there\n`);
    expect((await runCli(["audit", "export", "--format", "xml"], env)).stderr).toMatch(/--format must be jsonl or csv, got "xml"/);
  });
});

describe("keyward audit verify", () => {
  it("verifies the chain against the service's latest checkpoint and against a checkpoint file", async () => {
    const env = loggedIn(sut);
    const latest = await runCli(["audit", "verify"], env);
    expect(latest.code).toBe(0);
    expect(latest.stdout).toMatch(/^audit chain ok: \d+ rows checked against checkpoint seq \d+ of \S+ \(the service's latest\)\n$/);
    const sinkFile = path.join(sut.dataDir, AUDIT_CHECKPOINT_FILE);
    const kept = await runCli(["audit", "verify", "--checkpoint", sinkFile, "--json"], env);
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ ok: true, checkpoint: { source: "request" } });
  });

  it("names a checkpoint file it cannot use", async () => {
    const env = loggedIn(sut);
    const dir = tmpDir("kw-cli-cp-");
    const bad = path.join(dir, "cp.json");
    fs.writeFileSync(bad, '{"seq": 1}\n{not json\n');
    const broken = await runCli(["audit", "verify", "--checkpoint", bad], env);
    expect(broken.code).toBe(EXIT.usage);
    expect(broken.stderr).toMatch(new RegExp(`^error: the checkpoint file ${bad.replace(/[.]/g, "\\.")} is not JSON, nor JSON Lines at line 2 `));
    const missing = await runCli(["audit", "verify", "--checkpoint", path.join(dir, "nope.json")], env);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/cannot read the checkpoint file .*nope\.json: ENOENT/);
    expect((await runCli(["audit", "verify", "--public-key", "x"], env)).stderr).toMatch(/--public-key goes with --checkpoint FILE/);
  });

  describe("on PostgreSQL, after a row was changed behind the service's back", () => {
    const postgres = createPostgresTestDatabases({ prefix: "keyward_cli" });
    afterAll(() => postgres.dropAll());

    it("exits 1 naming the first bad row", async () => {
      const database = await postgres.fresh({ max: 1 });
      const service = await startSecretsService({ env: {}, dataDir: tmpDir("kw-cli-pg-"), databaseUrl: database.url, grpcPort: 0, httpPort: 0, logLevel: "silent" });
      try {
        const target = { adminUrl: service.adminUrl, token: service.bootstrapToken! };
        const env = loggedIn(target);
        const admin = adminOf(target);
        for (const name of ["ONE_KEY", "TWO_KEY", "THREE_KEY"]) await unwrap(admin.POST("/api/secrets", { body: { name, description: "" } }));
        expect((await runCli(["audit", "verify"], env)).code).toBe(0);
        const rows = (await unwrap(admin.GET("/api/audit", { params: { query: { action: "secret.create" } } }))).items;
        const victim = rows[1]!.seq;
        await database.db.updateTable("audit_log").set({ result: "refused" }).where("seq", "=", victim).execute();
        const result = await runCli(["audit", "verify"], env);
        expect(result.code).toBe(EXIT.failed);
        expect(result.stderr).toMatch(new RegExp(`^error: the audit chain is broken at row ${victim}: .+; see keyward audit tail --since and the rows around it\\n$`));
        const json = await runCli(["audit", "verify", "--json"], env);
        expect(json.code).toBe(EXIT.failed);
        expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBadSeq: victim });
      } finally {
        await service.close();
        await database.close();
      }
    });
  });
});
