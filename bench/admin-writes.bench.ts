// Admin API writes on the local PostgreSQL (KEYWARD_TEST_PG_ADMIN_URL), 16 in flight, each on its
// own secret in turn (PUT /api/secrets/{name}/value: auth, role, spec validation, the value's type
// check, a new sealed version, and its audit row in the same transaction), beside a baseline in
// the same run: one bare INSERT + COMMIT per request on the same database and pool, the floor for
// any durable write (one statement, one commit, no chain). The server runs as the service runs it,
// with a change feed (the admin key and the environment cached); a second server on the same
// database without one shows what those two lookups cost. The client is node:http with keep-alive
// (lib/http-client.ts); a last row drives the first server with fetch, whose own CPU, on two shared
// cores, costs the server about a third of its throughput.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock } from "@keyward/common";
import { createAdminKey, createChangeHub, createSecretStub, getDefaultEnvironment, type Database } from "@keyward/db";
import { startHttpServer } from "@keyward/http";
import { sql, type Kysely } from "kysely";
import { measure, report, type Measurement, type MeasureOptions } from "./lib/measure.js";
import { formatCount, headline } from "./lib/headline.js";
import { createThrowawayDatabase } from "./lib/throwaway-database.js";
import { createHttpClient } from "./lib/http-client.js";
import { runInWorker, serveJobs } from "./lib/worker.js";

const SECRETS = 256;
const secretName = (i: number) => `BENCH_W_${String(i % SECRETS).padStart(3, "0")}`;

/** The client's job: PUT new values in turn over the secrets, from a worker thread (see lib/worker.ts). */
interface WritesJob {
  name: string;
  /** node:http with keep-alive (lib/http-client.ts), or fetch, to show what the client itself costs. */
  client: "http" | "fetch";
  base: string;
  token: string;
  options: MeasureOptions;
}
const TAG = "keyward-admin-writes-client";
serveJobs<WritesJob, Measurement>(TAG, async (job) => {
  let next = 0;
  if (job.client === "http") {
    const client = createHttpClient(job.base, { authorization: `Bearer ${job.token}` });
    try {
      return await measure(job.name, async () => {
        const res = await client.request("PUT", `/api/secrets/${secretName(next++)}/value`, { value: randomBytes(18).toString("base64url") });
        if (res.status !== 200) throw new Error(`set-value ${res.status}`);
      }, job.options);
    } finally {
      client.close();
    }
  }
  const headers = { authorization: `Bearer ${job.token}`, "content-type": "application/json" };
  return measure(job.name, async () => {
    const res = await fetch(`${job.base}/api/secrets/${secretName(next++)}/value`, { method: "PUT", headers, body: JSON.stringify({ value: randomBytes(18).toString("base64url") }) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`set-value ${res.status}`);
  }, job.options);
});
const OPTIONS: MeasureOptions = { durationMs: 4000, warmupMs: 1000, concurrency: 16 };
const WRITES_TARGET = 1000;

export default async function adminWritesBench(): Promise<void> {
  // The service's default pool size (10): requests beyond it wait for a connection, as in production.
  const tdb = await createThrowawayDatabase({ max: 10 });
  try {
    const { db } = tdb.kdb;
    await sql`create table bench_bare (id bigserial primary key, at timestamptz not null, actor text not null, target text not null, payload bytea not null)`.execute(db);
    const at = new Date();
    const environmentId = (await getDefaultEnvironment(db)).id;
    for (let i = 0; i < SECRETS; i++) await createSecretStub(db, { environmentId, name: secretName(i), description: "bench", requestedBy: "bench", at });
    const token = generateToken(ADMIN_TOKEN_PREFIX);
    await createAdminKey(db, { name: "bench", role: "admin", keyHash: hashToken(token), actor: "bench", at });
    const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }), level: "info" });
    const changes = await createChangeHub(tdb.kdb, logger, { heartbeatMs: 5000 });
    const deps = { db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger, clock: systemClock };
    const server = await startHttpServer({ ...deps, changes }, { host: "127.0.0.1", port: 0, rateLimitPerSecond: 1e9 });
    const uncached = await startHttpServer(deps, { host: "127.0.0.1", port: 0, rateLimitPerSecond: 1e9 });
    const payload = randomBytes(96);
    try {
      const auditBefore = await countAudit(db);
      const rows = [
        await measure("baseline: bare INSERT + COMMIT (same pool)", () => db.insertInto("bench_bare" as never).values({ at: new Date(), actor: "bench", target: "secret:X", payload } as never).execute(), OPTIONS),
        await runInWorker<WritesJob, Measurement>(import.meta.url, TAG, { name: "PUT /api/secrets/{name}/value (client in a worker)", client: "http", base: `http://127.0.0.1:${server.port}`, token, options: OPTIONS }),
        await runInWorker<WritesJob, Measurement>(import.meta.url, TAG, { name: "same, no change feed (key and environment read per request)", client: "http", base: `http://127.0.0.1:${uncached.port}`, token, options: OPTIONS }),
        await runInWorker<WritesJob, Measurement>(import.meta.url, TAG, { name: "same server as the first, driven by fetch (undici)", client: "fetch", base: `http://127.0.0.1:${server.port}`, token, options: OPTIONS }),
      ];
      report(`admin API set-value on PostgreSQL, ${OPTIONS.concurrency} in flight over ${SECRETS} secrets (writes/s)`, rows);
      const writes = rows[1]!.opsPerSec;
      const audited = (await countAudit(db)) - auditBefore;
      console.log(`audit rows written: ${audited} (one per write, each in its write's transaction); the change feed's lookups: ${(writes / rows[2]!.opsPerSec).toFixed(2)}× the uncached server; the node:http client: ${(writes / rows[3]!.opsPerSec).toFixed(2)}× fetch`);
      headline({ path: `admin API set-value (${OPTIONS.concurrency} in flight, distinct secrets, PostgreSQL)`, figure: `${formatCount(writes)} writes/s`, baseline: `bare INSERT ${formatCount(rows[0]!.opsPerSec)}/s`, result: formatCount(writes), target: `≥ ${formatCount(WRITES_TARGET)} writes/s`, met: writes >= WRITES_TARGET });
    } finally {
      await server.close();
      await uncached.close();
      await changes.close();
    }
  } finally {
    await tdb.drop();
  }
}

const countAudit = async (db: Kysely<Database>) => Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db)).rows[0]!.n);
