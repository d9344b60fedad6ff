// The gRPC hot path against a bare grpc-js echo server, in the same run, on loopback:
//  1. GetSecret (one 32-byte value), beside an echo of the same request and response sizes;
//  2. GetSecrets with 20 names, beside an echo of that batch's sizes.
// Keyward runs on a throwaway database on the local PostgreSQL (KEYWARD_TEST_PG_ADMIN_URL), with
// every call's audit row committed (group commit) before it answers, and caches on.
// The load-generating client runs in a worker_threads Worker for BOTH the echo and the Keyward
// measurements, so each server has the main thread to itself as it would in a deployment (clients
// in other processes); before, the client's own gRPC work shared the server's thread, which
// charged both sides for it. Both servers still share the machine's cores with the client (and
// Keyward with PostgreSQL).
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { isMainThread, Worker, workerData, parentPort } from "node:worker_threads";
import { credentials, Metadata, Server, ServerCredentials, type Client, type handleUnaryCall } from "@grpc/grpc-js";
import { createEnvelope, createLogger, generateToken, hashToken, kekFromKey, SERVICE_TOKEN_PREFIX, systemClock } from "@keyward/common";
import { connectPostgres, createSecretStub, decideAccessRequest, decideServiceToken, ensureAccessRequest, migrateToLatest, registerServiceToken, setSecretValue } from "@keyward/db";
import { startGrpcServer } from "@keyward/grpc";
import { GetSecretRequest, GetSecretResponse, GetSecretsRequest, GetSecretsResponse, Reason, SecretsServiceClient } from "@keyward/proto";
import { sql } from "kysely";
import { measure, report, type Measurement, type MeasureOptions } from "./lib/measure.js";

const ADMIN_URL = process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SERVICE = "bench-grpc";
const NAMES = Array.from({ length: 20 }, (_, i) => `BENCH_GRPC_${String(i).padStart(2, "0")}`);
const OPTIONS: MeasureOptions = { durationMs: 4000, warmupMs: 1000, concurrency: 64 };

/** A bare grpc-js server answering raw bytes of a fixed size: the floor for any unary call. */
async function startEcho(responseBytes: number) {
  const server = new Server();
  const response = randomBytes(responseBytes);
  const echo: handleUnaryCall<Buffer, Buffer> = (_call, callback) => callback(null, response);
  const identity = (b: Buffer) => b;
  server.addService({ echo: { path: "/bench.Echo/Echo", requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } }, { echo });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { port, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

function echoCall(client: Client, request: Buffer, md: Metadata) {
  const identity = (b: Buffer) => b;
  return () =>
    new Promise<Buffer>((resolve, reject) => client.makeUnaryRequest("/bench.Echo/Echo", identity, identity, request, md, (e, r) => (e ? reject(e) : resolve(r!))));
}

/** What the client worker measures: one kind of call against one server port. */
type LoadJob = { name: string; port: number; token: string; options: MeasureOptions } & ({ kind: "echo"; request: Uint8Array } | { kind: "getSecret"; request: GetSecretRequest } | { kind: "getSecrets"; request: GetSecretsRequest });

const JOB_TAG = "keyward-grpc-bench-client";

/** Runs in the worker: builds its own client, measures, posts the Measurement back. */
async function runLoadJob(job: LoadJob): Promise<Measurement> {
  const md = new Metadata();
  md.set("authorization", `Bearer ${job.token}`);
  const client = new SecretsServiceClient(`127.0.0.1:${job.port}`, credentials.createInsecure());
  try {
    switch (job.kind) {
      case "echo":
        return await measure(job.name, echoCall(client, Buffer.from(job.request), md), job.options);
      case "getSecret": {
        const req = job.request;
        return await measure(job.name, () => new Promise<GetSecretResponse>((resolve, reject) => client.getSecret(req, md, (e, r) => (e ? reject(e) : resolve(r)))), job.options);
      }
      case "getSecrets": {
        const req = job.request;
        const call = () =>
          new Promise<GetSecretsResponse>((resolve, reject) =>
            client.getSecrets(req, md, (e, r) => (e ? reject(e) : r.results.every((x) => x.reason === Reason.REASON_UNSPECIFIED) ? resolve(r) : reject(new Error("a batch result was refused")))),
          );
        return await measure(job.name, call, job.options);
      }
    }
  } finally {
    client.close();
  }
}

if (!isMainThread && (workerData as { tag?: string } | null)?.tag === JOB_TAG) {
  const job = (workerData as { job: LoadJob }).job;
  runLoadJob(job).then(
    (m) => parentPort!.postMessage(m),
    (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
}

/** Measures `job` from a client in its own thread (this same file, run as a Worker). */
function measureInWorker(job: LoadJob): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's loader hooks: register them, then load this file.
    const code = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(code, { eval: true, workerData: { tag: JOB_TAG, job } });
    worker.once("message", (m: Measurement | { error: string }) => {
      void worker.terminate();
      if ("error" in m) reject(new Error(`bench client: ${m.error}`));
      else resolve(m);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`bench client worker exited (code ${code}) before reporting`)));
  });
}

export default async function grpcBench(): Promise<void> {
  const dbName = `keyward_bench_${randomBytes(6).toString("hex")}`;
  const admin = connectPostgres(ADMIN_URL, { max: 1 });
  await sql.raw(`create database ${dbName}`).execute(admin.db);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const kdb = connectPostgres(url.toString(), { max: 10 });
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await migrateToLatest(kdb.db);
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    const { token: row } = await registerServiceToken(kdb.db, { tokenHash: hashToken(token), serviceName: SERVICE, serviceVersion: "1", at: new Date() });
    await decideServiceToken(kdb.db, { id: row.id, decision: "approve", actor: "bench", at: new Date() });
    for (const name of NAMES) {
      await createSecretStub(kdb.db, { name, description: "bench", requestedBy: "bench", at: new Date() });
      await setSecretValue(kdb.db, envelope, { name, value: randomBytes(24).toString("base64url"), actor: "bench", at: new Date() });
      const { request } = await ensureAccessRequest(kdb.db, { secretName: name, serviceName: SERVICE, at: new Date() });
      await decideAccessRequest(kdb.db, { id: request.id, decision: "grant", actor: "bench", at: new Date() });
    }
    // Logs go to a sink at info level, as in production (one line per call); the rate limit is lifted
    // so the benchmark measures the path, not the limiter.
    const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }), level: "info" });
    const server = await startGrpcServer({ db: kdb.db, envelope, auditKey: randomBytes(32), logger, clock: systemClock, database: kdb }, { host: "127.0.0.1", port: 0, rateLimitPerSecond: 1e9 });
    closers.push(() => server.close());
    const client = new SecretsServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    closers.push(async () => client.close());
    const md = new Metadata();
    md.set("authorization", `Bearer ${token}`);

    const one: GetSecretRequest = { name: NAMES[0]!, description: "bench" };
    const batch: GetSecretsRequest = { secrets: NAMES.map((name) => ({ name, description: "bench" })) };
    const getSecret = () =>
      new Promise<GetSecretResponse>((resolve, reject) => client.getSecret(one, md, (e, r) => (e ? reject(e) : resolve(r))));
    const getSecrets = () =>
      new Promise<GetSecretsResponse>((resolve, reject) =>
        client.getSecrets(batch, md, (e, r) => (e ? reject(e) : r.results.every((x) => x.reason === Reason.REASON_UNSPECIFIED) ? resolve(r) : reject(new Error("a batch result was refused")))),
      );
    // Payload sizes for the echo baselines: the real encoded request and response of each call.
    const oneRes = await getSecret();
    const batchRes = await getSecrets();
    const sizes = {
      one: [GetSecretRequest.encode(one).finish().length, GetSecretResponse.encode(oneRes).finish().length],
      batch: [GetSecretsRequest.encode(batch).finish().length, GetSecretsResponse.encode(batchRes).finish().length],
    } as const;

    const echoOne = await startEcho(sizes.one[1]);
    closers.push(echoOne.close);
    const echoBatch = await startEcho(sizes.batch[1]);
    closers.push(echoBatch.close);
    // Each measurement's client lives in a fresh worker (see the header); the same for both sides.
    const job = { token, options: OPTIONS };
    const auditBefore = Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(kdb.db)).rows[0]!.n);
    const rowsOne = [
      await measureInWorker({ ...job, kind: "echo", name: `echo (${sizes.one[0]} B in, ${sizes.one[1]} B out)`, port: echoOne.port, request: randomBytes(sizes.one[0]) }),
      await measureInWorker({ ...job, kind: "getSecret", name: "GetSecret (audit durable on PostgreSQL)", port: server.port, request: one }),
    ];
    const rowsBatch = [
      await measureInWorker({ ...job, kind: "echo", name: `echo (${sizes.batch[0]} B in, ${sizes.batch[1]} B out)`, port: echoBatch.port, request: randomBytes(sizes.batch[0]) }),
      await measureInWorker({ ...job, kind: "getSecrets", name: "GetSecrets, 20 names (20 audit rows each)", port: server.port, request: batch }),
    ];
    report(`GetSecret vs grpc-js echo (concurrency ${OPTIONS.concurrency}, client in a worker thread)`, rowsOne);
    report(`GetSecrets(20) vs grpc-js echo (concurrency ${OPTIONS.concurrency}, client in a worker thread)`, rowsBatch);
    const ratio = rowsOne[1]!.opsPerSec / rowsOne[0]!.opsPerSec;
    console.log(`\nGetSecret throughput = ${ratio.toFixed(2)}× echo (target ≥ 0.70×: ${ratio >= 0.7 ? "met" : "NOT met"})`);
    const auditAfter = Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(kdb.db)).rows[0]!.n);
    console.log(`audit rows written during the run: ${auditAfter - auditBefore} (every call, committed before it answered)`);
  } finally {
    for (const close of closers.reverse()) await close();
    await kdb.close();
    await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin.db);
    await admin.close();
  }
}
