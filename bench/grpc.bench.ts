// The gRPC hot path against a bare grpc-js echo server, in the same run, on loopback:
//  1. GetSecret (one 32-byte value), beside an echo that answers the same call with the same bytes;
//  2. GetSecrets with 20 names, beside an echo of that batch;
//  3. GetSecrets(20)'s values/s over GetSecret's, both on Keyward, in alternating rounds of their own.
// Keyward runs on a throwaway database on the local PostgreSQL (KEYWARD_TEST_PG_ADMIN_URL), with
// every call's audit row committed (group commit) before it answers, and caches on.
// Fair comparison:
//  - The echo server is bare grpc-js (no decoding, no handler work) but registers the real method
//    paths and answers with the exact encoded response Keyward gave, so the client (the generated
//    SecretsServiceClient, the same request, metadata and decoding) does identical work on both
//    sides and the difference is the server's.
//  - The load-generating client runs in a worker_threads Worker, so each server has the main
//    thread to itself as in a deployment (clients in other processes). Both servers still share
//    the machine's cores with the client (and Keyward with PostgreSQL).
//  - Echo and Keyward runs alternate for ROUNDS rounds at each load level, so a noisy neighbour or
//    a CPU frequency change shifts both sides of a pair alike; each side's row is its median run.
//  - Each level of calls in flight (CONCURRENCY, default 64 and 256: the two) is compared
//    on its own; its headline is the median of the rounds' ratios at that level.
import { randomBytes } from "node:crypto";
import { credentials, Metadata, Server, ServerCredentials, type handleUnaryCall } from "@grpc/grpc-js";
import { createEnvelope, generateToken, hashToken, kekFromKey, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { createSecretStub, decideAccessRequest, decideServiceToken, ensureAccessRequest, getDefaultEnvironment, registerServiceToken, setSecretValue } from "@keyward/db";
import { GetSecretRequest, GetSecretResponse, GetSecretsRequest, GetSecretsResponse, Reason, SecretsServiceClient, SecretsServiceService } from "@keyward/proto";
import { sql } from "kysely";
import { measureInWorker, type LoadJob } from "./lib/grpc-client.js";
import { startBenchGrpcServer } from "./lib/grpc-server.js";
import { formatCount, headline } from "./lib/headline.js";
import type { Measurement, MeasureOptions } from "./lib/measure.js";
import { alternate, reportAlternated } from "./lib/rounds.js";
import { createThrowawayDatabase } from "./lib/throwaway-database.js";

const SERVICE = "bench-grpc";
const NAMES = Array.from({ length: 20 }, (_, i) => `BENCH_GRPC_${String(i).padStart(2, "0")}`);
const OPTIONS: MeasureOptions = { durationMs: 3000, warmupMs: 1000 };
// Calls in flight. At 64 each call's latency (its group commit included) bounds throughput; at 256
// the servers are loaded until their capacity shows.
const CONCURRENCY = (process.env.KEYWARD_BENCH_CONCURRENCY ?? "64,256").split(",").map(Number);
/** Issue #18's targets for GetSecret ÷ echo, by calls in flight. */
const GET_SECRET_TARGETS: Record<number, number> = { 64: 0.8, 256: 0.9 };
/** …and for GetSecrets(20)'s values/s ÷ GetSecret's values/s. */
const BATCH_TARGET = 15;

/**
 * A bare grpc-js server on SecretsService's real paths: it neither decodes the request nor runs a
 * handler, it answers every call with fixed, pre-encoded response bytes. The floor for any unary call.
 */
async function startEcho(responses: { getSecret: Uint8Array; getSecrets: Uint8Array }) {
  const server = new Server();
  const identity = (b: Buffer) => b;
  const unary = (path: string) => ({ path, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity });
  const answer = (bytes: Uint8Array): handleUnaryCall<Buffer, Buffer> => {
    const response = Buffer.from(bytes);
    return (_call, callback) => callback(null, response);
  };
  server.addService(
    { getSecret: unary(SecretsServiceService.getSecret.path), getSecrets: unary(SecretsServiceService.getSecrets.path) },
    { getSecret: answer(responses.getSecret), getSecrets: answer(responses.getSecrets) },
  );
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { port, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

const ROUNDS = 3;

export default async function grpcBench(): Promise<void> {
  const database = await createThrowawayDatabase({ max: 10 });
  const kdb = database.kdb;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    const environmentId = (await getDefaultEnvironment(kdb.db)).id;
    const { token: row } = await registerServiceToken(kdb.db, { environmentId, tokenHash: hashToken(token), serviceName: SERVICE, serviceVersion: "1", at: new Date() });
    await decideServiceToken(kdb.db, { environmentId, id: row.id, decision: "approve", actor: "bench", at: new Date() });
    for (const name of NAMES) {
      await createSecretStub(kdb.db, { environmentId, name, description: "bench", requestedBy: "bench", at: new Date() });
      await setSecretValue(kdb.db, envelope, { environmentId, name, value: randomBytes(24).toString("base64url"), actor: "bench", at: new Date() });
      const { request } = await ensureAccessRequest(kdb.db, { environmentId, secretName: name, serviceName: SERVICE, at: new Date() });
      await decideAccessRequest(kdb.db, { environmentId, id: request.id, decision: "grant", actor: "bench", at: new Date() });
    }
    // Logs go to a sink at info level, as in production (one line per call); the rate limit is lifted
    // so the benchmark measures the path, not the limiter.
    const server = await startBenchGrpcServer(kdb, envelope);
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

    // The echo answers with exactly the bytes Keyward answered.
    const echo = await startEcho({ getSecret: GetSecretResponse.encode(oneRes).finish(), getSecrets: GetSecretsResponse.encode(batchRes).finish() });
    closers.push(echo.close);
    // Each measurement's client lives in a fresh worker (see the header); the same for both sides.
    const auditBefore = Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(kdb.db)).rows[0]!.n);
    const sweep = async (what: string, kind: "getSecret" | "getSecrets", request: GetSecretRequest | GetSecretsRequest, names: [string, string]) => {
      const levels = new Map<number, { echo: Measurement; keyward: Measurement; ratio: number }>();
      for (const concurrency of CONCURRENCY) {
        const job = { calls: [{ token, request }], options: { ...OPTIONS, concurrency } };
        const r = await alternate(ROUNDS, () => measureInWorker({ ...job, kind, name: names[0], port: echo.port } as LoadJob), () => measureInWorker({ ...job, kind, name: names[1], port: server.port } as LoadJob));
        reportAlternated(`${what} vs grpc-js echo, ${concurrency} calls in flight (client in a worker thread; median of ${ROUNDS} alternating rounds)`, r);
        levels.set(concurrency, { echo: r.rows[0], keyward: r.rows[1], ratio: r.ratio });
      }
      return levels;
    };
    const one1 = await sweep("GetSecret", "getSecret", one, [`echo (${sizes.one[0]} B in, ${sizes.one[1]} B out)`, "GetSecret (audit durable on PostgreSQL)"]);
    await sweep("GetSecrets(20)", "getSecrets", batch, [`echo (${sizes.batch[0]} B in, ${sizes.batch[1]} B out)`, "GetSecrets, 20 names (one audit row)"]);
    for (const [concurrency, level] of one1) {
      const target = GET_SECRET_TARGETS[concurrency];
      if (target === undefined) continue;
      headline({ path: `GetSecret vs bare grpc-js echo, ${concurrency} in flight`, figure: `${formatCount(level.keyward.opsPerSec)} ops/s`, baseline: `echo ${formatCount(level.echo.opsPerSec)} ops/s`, result: `${level.ratio.toFixed(2)}×`, target: `≥ ${target.toFixed(2)}×`, met: level.ratio >= target });
    }
    // Values per second at the first level, GetSecret and GetSecrets(20) on Keyward in alternating
    // rounds of their own (the sweeps above ran minutes apart): a GetSecrets call returns NAMES.length
    // values, GetSecret one.
    const first = CONCURRENCY[0]!;
    const job = (kind: "getSecret" | "getSecrets", request: GetSecretRequest | GetSecretsRequest, name: string) => () =>
      measureInWorker({ calls: [{ token, request }], options: { ...OPTIONS, concurrency: first }, kind, name, port: server.port } as LoadJob);
    const paired = await alternate(ROUNDS, job("getSecret", one, "GetSecret"), job("getSecrets", batch, `GetSecrets, ${NAMES.length} names`));
    reportAlternated(`GetSecrets(${NAMES.length}) vs GetSecret on Keyward, ${first} calls in flight (calls/s; median of ${ROUNDS} alternating rounds)`, paired);
    const batchRatio = paired.ratio * NAMES.length;
    console.log(`values/s ratio: ${batchRatio.toFixed(1)}× (${NAMES.length} values per GetSecrets call)`);
    const [single, batched] = paired.rows;
    headline({ path: `GetSecrets(${NAMES.length}) values/s vs GetSecret values/s, ${first} in flight`, figure: `${formatCount(batched.opsPerSec * NAMES.length)} values/s`, baseline: `GetSecret ${formatCount(single.opsPerSec)} values/s`, result: `${batchRatio.toFixed(1)}×`, target: `≥ ${BATCH_TARGET}×`, met: batchRatio >= BATCH_TARGET });
    const auditAfter = Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(kdb.db)).rows[0]!.n);
    console.log(`audit rows written during the run: ${auditAfter - auditBefore} (every GetSecret and every GetSecrets call, committed before it answered)`);
  } finally {
    for (const close of closers.reverse()) await close();
    await database.drop();
  }
}
