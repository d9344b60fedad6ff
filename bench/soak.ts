// A mixed soak of the real service (issue #20): `pnpm soak` (after `pnpm build`).
//
// The service runs as its own process (`keyward-service start`) on a throwaway database of the
// local PostgreSQL, so its memory is its own. For KEYWARD_SOAK_SECONDS (default 360) this process
// drives, at once:
//   - readers: READERS loops of GetSecret and GetSecrets(10) with approved tokens of steady services;
//   - watchers: WatchSecrets streams, each reopened every 20 s, counting the events they get;
//   - writes: a new value for a random secret every 200 ms (admin API), which also drives the
//     change notifications and the watchers;
//   - churn: every second a new service token registers, is approved, asks for a secret (an access
//     request), gets it granted, reads, and is revoked; and a grant of a service of its own is
//     revoked and granted again.
// Every SAMPLE_MS it samples the service's RSS (/proc/<pid>/status), the reads done, and the errors:
// any read, write or admin call that failed when it should not have, every ERROR/FATAL line the
// service logged, and every ERROR line PostgreSQL logged for this database (its log file, when this
// user may read it) and its rolled-back transactions. It prints one row per sample and a verdict:
// the RSS trend after the first minute (a least-squares slope), the throughput of the last third
// against the first, and the error counts, which must be zero.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { SecretsServiceClient, type GetSecretResponse, type GetSecretsResponse, type RegisterTokenResponse } from "@keyward/proto";
import pg from "pg";

const SECONDS = Number(process.env.KEYWARD_SOAK_SECONDS ?? 360);
const SAMPLE_MS = 10_000;
const READERS = Number(process.env.KEYWARD_SOAK_READERS ?? 32);
const WATCHERS = 4;
const SECRETS = 50;
const STEADY_SERVICES = 4;
const ADMIN_URL = process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CLI = path.resolve(import.meta.dirname, "../packages/service/bin/keyward-service.mjs");
const names = Array.from({ length: SECRETS }, (_, i) => `SOAK_${String(i).padStart(2, "0")}`);

interface Counters {
  reads: number;
  readErrors: number;
  writes: number;
  writeErrors: number;
  churned: number;
  churnErrors: number;
  watchEvents: number;
  watchErrors: number;
}

const counters: Counters = { reads: 0, readErrors: 0, writes: 0, writeErrors: 0, churned: 0, churnErrors: 0, watchEvents: 0, watchErrors: 0 };
const unexpected: string[] = [];
const note = (what: string) => {
  if (unexpected.length < 20) unexpected.push(what);
};

async function startService(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; grpc: string; admin: string; token: string; serviceErrors: () => string[] }> {
  const child = spawn(process.execPath, [CLI, "start", "--grpc-port", "0", "--http-port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const errors: string[] = [];
  const scan = (chunk: Buffer) => {
    const text = chunk.toString();
    out += text.slice(0, 100_000 - out.length);
    for (const line of text.split("\n")) if (/"level":(50|60)/.test(line)) errors.push(line.slice(0, 300));
  };
  child.stdout!.on("data", scan);
  child.stderr!.on("data", scan);
  const deadline = Date.now() + 120_000;
  while (!/Admin API:\s+(\S+)\/api/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the service did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, grpc: /gRPC \(services\):\s+(\S+)/.exec(out)![1]!, admin: /Admin API:\s+(\S+)\/api/.exec(out)![1]!, token: fs.readFileSync(/Bootstrap admin token file: (\S+)/.exec(out)![1]!, "utf8").trim(), serviceErrors: () => errors };
}

const rssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
};

/** PostgreSQL's log file (Debian writes one per cluster under /var/log/postgresql), when readable. */
function postgresLog(): { file: string; from: number } | undefined {
  const dir = "/var/log/postgresql";
  try {
    const file = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".log"))
      .map((f) => path.join(dir, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    return file ? { file, from: fs.statSync(file).size } : undefined;
  } catch {
    return undefined;
  }
}

const postgresErrorsSince = (log: { file: string; from: number } | undefined, database: string): string[] | undefined => {
  if (!log) return undefined;
  const fd = fs.openSync(log.file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - log.from));
    fs.readSync(fd, buf, 0, buf.length, log.from);
    // Debian's log_line_prefix names user@database: count only this run's database.
    return buf
      .toString()
      .split("\n")
      .filter((l) => /\b(ERROR|FATAL|PANIC):/.test(l) && l.includes(`@${database} `));
  } finally {
    fs.closeSync(fd);
  }
};

function unary<Res>(fn: (md: Metadata, cb: (e: ServiceError | null, r?: Res) => void) => unknown, token: string): Promise<{ res?: Res; err?: ServiceError }> {
  const md = new Metadata();
  md.set("authorization", `Bearer ${token}`);
  return new Promise((resolve) => fn(md, (err, res) => resolve(err ? { err } : { res: res! })));
}

const slope = (points: [number, number][]) => {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
};

async function main() {
  const database = `keyward_soak_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-soak-"));
  const env = {
    PATH: process.env.PATH ?? "",
    DATABASE_URL: url.toString(),
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"),
    KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"),
    KEYWARD_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"),
    KEYWARD_LOG_LEVEL: "warn",
    // One client address drives everything: the per-address limits would measure themselves.
    KEYWARD_HTTP_RATE_LIMIT: "100000",
    KEYWARD_GRPC_PEER_RATE_LIMIT: "100000",
    KEYWARD_GRPC_RATE_LIMIT: "1000000",
    KEYWARD_AUDIT_CHECKPOINT_INTERVAL: "30",
  };
  const pgLog = postgresLog();
  const service = await startService(env);
  const pid = service.child.pid!;
  const client = new SecretsServiceClient(service.grpc, credentials.createInsecure());
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(service.admin + p, { method, headers: { authorization: `Bearer ${service.token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  };
  const register = (token: string, serviceName: string) => unary<RegisterTokenResponse>((md, cb) => client.registerToken({ serviceName, serviceVersion: "soak", environment: "" }, md, cb), token);
  const getSecret = (token: string, name: string) => unary<GetSecretResponse>((md, cb) => client.getSecret({ name, description: "" }, md, cb), token);
  const getSecrets = (token: string, batch: string[]) => unary<GetSecretsResponse>((md, cb) => client.getSecrets({ secrets: batch.map((name) => ({ name, description: "" })) }, md, cb), token);
  const pendingTokenId = async (serviceName: string) => ((await api("GET", `/api/service-tokens?status=pending&service=${serviceName}`)) as { items: { id: string }[] }).items[0]!.id;
  const pendingRequests = async (serviceName: string) => ((await api("GET", `/api/access-requests?status=pending&service=${serviceName}`)) as { items: { id: string; secretName: string }[] }).items;

  // Set-up: secrets with values, steady services approved and granted every secret.
  for (const name of names) await api("POST", "/api/secrets", { name, description: "soak", value: randomBytes(16).toString("hex") });
  const steady: string[] = [];
  for (let i = 0; i < STEADY_SERVICES; i++) {
    const serviceName = `soak-steady-${i}`;
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    await register(token, serviceName);
    await api("POST", `/api/service-tokens/${await pendingTokenId(serviceName)}/approve`);
    await getSecrets(token, names);
    for (const r of await pendingRequests(serviceName)) await api("POST", `/api/access-requests/${r.id}/approve`);
    steady.push(token);
  }
  // A service of its own whose grant the churn revokes and grants again (readers never use it).
  const toggleToken = generateToken(SERVICE_TOKEN_PREFIX);
  await register(toggleToken, "soak-toggle");
  await api("POST", `/api/service-tokens/${await pendingTokenId("soak-toggle")}/approve`);
  await getSecret(toggleToken, names[0]!);
  const toggled = (await pendingRequests("soak-toggle"))[0]!.id;
  await api("POST", `/api/access-requests/${toggled}/approve`);

  const end = Date.now() + SECONDS * 1000;
  const running = () => Date.now() < end;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;

  const reader = async (i: number) => {
    while (running()) {
      const token = steady[i % steady.length]!;
      const batch = i % 2 === 0 ? [pick(names)] : Array.from({ length: 10 }, () => pick(names)).filter((n, j, a) => a.indexOf(n) === j);
      const { err, res } = batch.length === 1 ? await getSecret(token, batch[0]!) : await getSecrets(token, batch);
      const refused = res && "results" in res ? res.results.find((r) => r.reason !== 0) : undefined;
      if (err || refused) {
        counters.readErrors++;
        note(`read: ${err ? `${err.code} ${err.details}` : `${refused!.name} ${refused!.message}`}`);
      } else counters.reads++;
    }
  };

  const watcher = async () => {
    while (running()) {
      const md = new Metadata();
      md.set("authorization", `Bearer ${pick(steady)}`);
      const stream = client.watchSecrets({ names: [] }, md);
      stream.on("data", () => counters.watchEvents++);
      const ended = new Promise<void>((resolve) => {
        stream.on("error", (e: ServiceError) => {
          if (e.code !== 1) {
            counters.watchErrors++;
            note(`watch: ${e.code} ${e.details}`);
          }
          resolve();
        });
        stream.on("end", () => resolve());
      });
      await Promise.race([ended, new Promise((r) => setTimeout(r, Math.min(20_000, Math.max(0, end - Date.now()))))]);
      stream.cancel();
      await ended;
    }
  };

  const writer = async () => {
    while (running()) {
      try {
        await api("PUT", `/api/secrets/${pick(names)}/value`, { value: randomBytes(16).toString("hex") });
        counters.writes++;
      } catch (error) {
        counters.writeErrors++;
        note(`write: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const churn = async () => {
    let n = 0;
    while (running()) {
      const started = Date.now();
      try {
        const serviceName = `soak-churn-${n++}`;
        const token = generateToken(SERVICE_TOKEN_PREFIX);
        if ((await register(token, serviceName)).err) throw new Error("register failed");
        const id = await pendingTokenId(serviceName);
        await api("POST", `/api/service-tokens/${id}/approve`);
        const name = pick(names);
        const asked = await getSecret(token, name);
        if (asked.err?.details?.includes("waiting") !== true) throw new Error(`expected access_pending, got ${asked.err?.code} ${asked.err?.details ?? "a value"}`);
        for (const r of await pendingRequests(serviceName)) await api("POST", `/api/access-requests/${r.id}/approve`);
        let read = await getSecret(token, name);
        // The grant reaches the cache through its change notification: allow it a moment.
        for (let i = 0; read.err && i < 50; i++) {
          await new Promise((r) => setTimeout(r, 20));
          read = await getSecret(token, name);
        }
        if (read.err) throw new Error(`granted read refused: ${read.err.code} ${read.err.details}`);
        await api("POST", `/api/service-tokens/${id}/revoke`);
        // A grant is revoked and granted again.
        await api("POST", `/api/access-requests/${toggled}/revoke`);
        await api("POST", `/api/access-requests/${toggled}/approve`);
        counters.churned++;
      } catch (error) {
        counters.churnErrors++;
        note(`churn: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }
  };

  const rollbacks = async () => Number((await admin.query(`select xact_rollback from pg_stat_database where datname = $1`, [database])).rows[0].xact_rollback);
  const rollbacksAtStart = await rollbacks();
  const samples: { t: number; rss: number; readsPerSec: number }[] = [];
  let lastReads = 0;
  const t0 = Date.now();
  console.log(`soak: ${SECONDS} s against pid ${pid} (${READERS} readers, ${WATCHERS} watchers, a write every 200 ms, a token churned every second)`);
  console.log(["t (s)".padStart(6), "RSS MB".padStart(8), "reads/s".padStart(9), "errors".padStart(7), "watch events".padStart(13), "churned".padStart(8)].join(" "));
  const sampler = setInterval(() => {
    const t = (Date.now() - t0) / 1000;
    const rss = rssMb(pid);
    const readsPerSec = (counters.reads - lastReads) / (SAMPLE_MS / 1000);
    lastReads = counters.reads;
    samples.push({ t, rss, readsPerSec });
    const errors = counters.readErrors + counters.writeErrors + counters.churnErrors + counters.watchErrors + service.serviceErrors().length;
    console.log([t.toFixed(0).padStart(6), rss.toFixed(1).padStart(8), readsPerSec.toFixed(0).padStart(9), String(errors).padStart(7), String(counters.watchEvents).padStart(13), String(counters.churned).padStart(8)].join(" "));
  }, SAMPLE_MS);

  await Promise.all([...Array.from({ length: READERS }, (_, i) => reader(i)), ...Array.from({ length: WATCHERS }, watcher), writer(), churn()]);
  clearInterval(sampler);

  const rollbacksDuring = (await rollbacks()) - rollbacksAtStart;
  client.close();
  service.child.kill("SIGTERM");
  await new Promise((r) => service.child.once("exit", r));
  const pgErrors = postgresErrorsSince(pgLog, database);
  await admin.query(`drop database ${database} with (force)`);
  await admin.end();

  const afterWarmup = samples.filter((s) => s.t >= 60);
  const rssSlope = afterWarmup.length >= 3 ? slope(afterWarmup.map((s) => [s.t / 60, s.rss])) : NaN;
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // The first sample includes the start of every loop: the first third starts at the second sample.
  const early = mean(samples.slice(1, third + 1).map((s) => s.readsPerSec));
  const late = mean(samples.slice(-third).map((s) => s.readsPerSec));
  const serviceErrors = service.serviceErrors();
  console.log("\nsummary");
  console.log(`  reads ${counters.reads} (${counters.readErrors} failed), writes ${counters.writes} (${counters.writeErrors} failed), tokens churned ${counters.churned} (${counters.churnErrors} failed), watch events ${counters.watchEvents} (${counters.watchErrors} streams failed)`);
  console.log(`  service RSS: ${samples[0]?.rss.toFixed(1)} → ${samples.at(-1)?.rss.toFixed(1)} MB; trend after the first minute ${rssSlope.toFixed(2)} MB/min`);
  console.log(`  throughput: first third ${early.toFixed(0)} reads/s, last third ${late.toFixed(0)} reads/s (${(late / early).toFixed(2)}×)`);
  console.log(`  service ERROR lines: ${serviceErrors.length}; PostgreSQL ERROR lines for this database: ${pgErrors === undefined ? "log not readable" : pgErrors.length}; rolled-back transactions: ${rollbacksDuring}`);
  for (const line of [...unexpected, ...serviceErrors.slice(0, 5), ...(pgErrors ?? []).slice(0, 5)]) console.log(`    ${line}`);
  const ok = counters.readErrors + counters.writeErrors + counters.churnErrors + counters.watchErrors + serviceErrors.length + (pgErrors?.length ?? 0) === 0 && late / early > 0.8 && rssSlope < 2;
  console.log(`  verdict: ${ok ? "steady (no errors, no RSS growth trend, no throughput decay)" : "NOT steady"}`);
  process.exit(ok ? 0 : 1);
}

await main();
