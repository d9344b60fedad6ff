import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseAuditCheckpoint } from "@keyward/db";
import { createCheckpointSink, startSecretsService, type RunningService } from "../src/index.js";
import { freshPostgresUrl, runInProcess, tmpDir } from "./helpers.js";
import { runAuditCommand } from "../src/commands/audit.js";

// Issue #12 §6: the service writes signed checkpoints outside the database on its own, so deleting
// the newest audit rows, or all of them, is detected without anyone having kept a checkpoint by hand.

const running: RunningService[] = [];
afterAll(async () => {
  for (const s of running) await s.close();
});

const keys = () => ({ KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") });

async function until(check: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const readCheckpoints = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => parseAuditCheckpoint(l));

describe("signed audit checkpoints written by the service (PostgreSQL)", () => {
  it("writes them to a file sink on its own; truncating or wiping the log then fails verification by the API and the CLI", async () => {
    const url = await freshPostgresUrl();
    const dataDir = tmpDir("kw-cp-");
    const sinkDir = tmpDir("kw-cp-sink-");
    const sink = path.join(sinkDir, "checkpoints.jsonl");
    const env = { ...keys(), KEYWARD_AUDIT_CHECKPOINT_SINK: sink, KEYWARD_AUDIT_CHECKPOINT_INTERVAL: "1" };
    const service = await startSecretsService({ env, dataDir, databaseUrl: url, grpcPort: 0, httpPort: 0, logLevel: "silent" });
    running.push(service);
    const api = (method: string, p: string, body?: unknown) =>
      fetch(service.adminUrl + p, { method, headers: { authorization: `Bearer ${service.bootstrapToken}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    // The first checkpoint is written at start and covers the start's own rows (the keyring, the bootstrap key).
    const base = readCheckpoints(sink).at(-1)!.seq;
    expect(base).toBe(2);
    expect((fs.statSync(sink).mode & 0o777).toString(8)).toBe("600");
    for (const name of ["CP_ONE", "CP_TWO", "CP_THREE"]) expect((await api("POST", "/api/secrets", { name, description: "" })).status).toBe(201);
    const last = base + 3;
    await until(() => readCheckpoints(sink).at(-1)!.seq >= last, "a checkpoint covering the new rows");
    const written = readCheckpoints(sink);
    expect(new Set(written.map((c) => c.publicKey)).size).toBe(1);
    // No new rows, no new checkpoint: the sink does not grow while the log does not.
    const count = written.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(readCheckpoints(sink).length).toBe(count);

    const verified = await (await api("GET", "/api/audit/verify")).json();
    expect(verified).toMatchObject({ ok: true, rows: last, checkpoint: { seq: last, source: "sink" } });

    // Someone with database access deletes the newest rows: the shorter chain is valid on its own.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query("delete from audit_log where seq > $1", [base]);
      const truncated = await (await api("GET", "/api/audit/verify")).json();
      expect(truncated).toMatchObject({ ok: false, firstBadSeq: base + 1, checkpoint: { seq: last, source: "sink" } });
      expect(truncated.problem).toBe(`the log ends at seq ${base} but the checkpoint of ${truncated.checkpoint.time} covers seq ${last}: rows ${base + 1}–${last} were deleted`);
      // The writer does not sign over the truncated log: the sink keeps its evidence.
      await new Promise((r) => setTimeout(r, 2500));
      expect(readCheckpoints(sink).at(-1)!.seq).toBe(last);

      await db.query("delete from audit_log");
      const wiped = await (await api("GET", "/api/audit/verify")).json();
      expect(wiped).toMatchObject({ ok: false, firstBadSeq: 1 });
      expect(wiped).not.toMatchObject({ ok: true, rows: 0 });

      // A checkpoint kept by hand, POSTed: checked against the service's signing key.
      const kept = readCheckpoints(sink)[0]!;
      const posted = await (await api("POST", "/api/audit/verify", { checkpoint: kept })).json();
      expect(posted).toMatchObject({ ok: false, checkpoint: { seq: kept.seq, source: "request" } });
      const forged = await (await api("POST", "/api/audit/verify", { checkpoint: { ...kept, seq: 0 } })).json();
      expect(forged).toMatchObject({ ok: false, problem: "the checkpoint's signature does not match its contents" });
      // Each finding about the log was recorded, by the API's verifications and the checkpoint writer's
      // (a forged checkpoint sent by the caller is bad input, not one): the wiped log now holds only those.
      const recorded = await db.query("select action, result, actor_id from audit_log order by seq");
      expect(recorded.rows.length).toBeGreaterThanOrEqual(2);
      expect(recorded.rows.every((r: { action: string; result: string }) => r.action === "audit.verify" && r.result === "failed")).toBe(true);
      const announced = await db.query("select type, data from outbox where type = 'audit.verification_failed'");
      expect(announced.rows.length).toBeGreaterThanOrEqual(3);
      // The checkpoint writer noticed the truncation on its own and said so once, not every interval.
      const byWriter = announced.rows.filter((r: { data: { verifiedBy: string } }) => r.data.verifiedBy === "system:checkpoints");
      expect(byWriter.length).toBeGreaterThanOrEqual(1);
      expect(new Set(byWriter.map((r: { data: { problem: string } }) => r.data.problem)).size).toBe(byWriter.length);
    } finally {
      await db.end();
    }
    await service.close();
    running.pop();

    // The CLI, with the same environment, finds the sink's newest checkpoint by itself.
    const cli = await runInProcess(runAuditCommand, ["verify"], { ...env, DATABASE_URL: url, KEYWARD_DATA_DIR: dataDir });
    expect(cli.code).toBe(1);
    // The log now holds only the recorded failures.
    expect(cli.stdout).toMatch(new RegExp(`^TAMPERED: the first bad row is seq \\d+: the log ends at seq \\d+ but the checkpoint of .* covers seq ${last}`));
  });

  it("POSTs them to an HTTP collector with its bearer token, and refuses a sink URL that is not https or carries a password", async () => {
    const received: { auth: string | undefined; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ auth: req.headers.authorization, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
    const port = (collector.address() as { port: number }).port;
    const token = "collector-token-" + randomBytes(8).toString("hex");
    try {
      const service = await startSecretsService({
        env: { ...keys(), KEYWARD_AUDIT_CHECKPOINT_SINK: `http://127.0.0.1:${port}/checkpoints`, KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN: token, KEYWARD_AUDIT_CHECKPOINT_INTERVAL: "1" },
        dataDir: tmpDir("kw-cp-"),
        databaseUrl: await freshPostgresUrl(),
        grpcPort: 0,
        httpPort: 0,
        logLevel: "silent",
      });
      running.push(service);
      // The start writes one when the sink is set up (seq 1, keys.init) and one once the owner key
      // is created, last in the start (seq 2, admin.bootstrap).
      await until(() => received.length > 1, "the start's checkpoints at the collector");
      expect(received.map((r) => r.auth)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
      expect(received.map((r) => parseAuditCheckpoint(r.body).seq)).toEqual([1, 2]);
      expect(parseAuditCheckpoint(received[1]!.body)).toMatchObject({ version: 1, seq: 2 });
      // With an HTTP sink the service checks the log against the checkpoints it wrote since it started.
      const verified = await (await fetch(service.adminUrl + "/api/audit/verify", { headers: { authorization: `Bearer ${service.bootstrapToken}` } })).json();
      expect(verified).toMatchObject({ ok: true, checkpoint: { seq: 2, source: "sink" } });
    } finally {
      collector.close();
    }
    expect(() => createCheckpointSink("http://collector.example.com/cp")).toThrow(/must be an https:\/\/ URL \(http:\/\/ only to a loopback host\)/);
    expect(() => createCheckpointSink("https://user:hunter2@collector.example.com/cp")).toThrow(/must not carry a user or password/);
    try {
      createCheckpointSink("https://user:hunter2@collector.example.com/cp");
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
    expect(() => createCheckpointSink("ftp://collector.example.com/cp")).toThrow(/got a ftp:\/\/ URL/);
    // Logged with every failure: the origin only, since a collector's path may hold its key.
    expect(createCheckpointSink("https://collector.example.com/hooks/k3y-in-the-path").description).toBe("https://collector.example.com/…");
    expect(createCheckpointSink("https://collector.example.com").description).toBe("https://collector.example.com");
  });
});
