// @keyward/secrets client against a real Keyward gRPC server on loopback (PGlite in memory):
//  1. cached getSecret, beside a Map lookup wrapped in a promise (the floor for any async cache);
//  2. getSecrets of 20 names in one GetSecrets call, uncached, beside 20 uncached getSecret calls
//     in parallel (the best that individual calls can do).
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import { createEnvelope, createLogger, kekFromKey, systemClock } from "@keyward/common";
import { createSecretStub, decideAccessRequest, decideServiceToken, ensureAccessRequest, getDefaultEnvironment, migrateToLatest, setSecretValue, wrapPglite } from "@keyward/db";
import { startGrpcServer } from "@keyward/grpc";
import { createSecretsClient, createServiceToken } from "@keyward/secrets";
import { formatCount, headline } from "./lib/headline.js";
import { measure, report, type Measurement } from "./lib/measure.js";

const SERVICE = "bench-service";
const NAMES = Array.from({ length: 20 }, (_, i) => `BENCH_SECRET_${String(i).padStart(2, "0")}`);
const schema = { properties: Object.fromEntries(NAMES.map((n) => [n, { description: `benchmark secret ${n}` }])) };

export default async function secretsClientBench(): Promise<void> {
  const kdb = wrapPglite(await PGlite.create());
  await migrateToLatest(kdb.db);
  const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
  const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }), level: "error" });
  // The per-token rate limit would measure itself rather than the client; lift it.
  const server = await startGrpcServer({ db: kdb.db, envelope, auditKey: randomBytes(32), logger, clock: systemClock, database: kdb }, { host: "127.0.0.1", port: 0, rateLimitPerSecond: 1e9 });
  const url = `127.0.0.1:${server.port}`;
  const token = createServiceToken();

  const cached = createSecretsClient(schema, { url, token, serviceName: SERVICE, env: {}, cache: { ttlMs: 3_600_000 } });
  if ((await cached.register()) !== "pending") throw new Error("expected a new, pending token");
  const tokenRow = await kdb.db.selectFrom("service_tokens").select("id").executeTakeFirstOrThrow();
  const environmentId = (await getDefaultEnvironment(kdb.db)).id;
  await decideServiceToken(kdb.db, { environmentId, id: tokenRow.id, decision: "approve", actor: "bench", at: new Date() });
  for (const name of NAMES) {
    await createSecretStub(kdb.db, { environmentId, name, description: "bench", requestedBy: "bench", at: new Date() });
    await setSecretValue(kdb.db, envelope, { environmentId, name, value: randomBytes(24).toString("base64url"), actor: "bench", at: new Date() });
    const { request } = await ensureAccessRequest(kdb.db, { environmentId, secretName: name, serviceName: SERVICE, at: new Date() });
    await decideAccessRequest(kdb.db, { environmentId, id: request.id, decision: "grant", actor: "bench", at: new Date() });
  }
  const uncached = createSecretsClient(schema, { url, token, serviceName: SERVICE, env: {}, cache: false });

  try {
    const first = NAMES[0]!;
    const map = new Map([[first, await cached.getSecret(first)]]);
    const cachedRows = [await measure("baseline: Promise.resolve(Map.get)", async () => map.get(first)), await measure("client.getSecret (cached)", () => cached.getSecret(first))];
    report("cached getSecret (one secret, in the cache)", cachedRows);
    const [mapRow, cachedRow] = cachedRows as [Measurement, Measurement];
    headline({ path: "cached client getSecret", figure: `${formatCount(cachedRow.opsPerSec)} ops/s`, baseline: `Map lookup ${formatCount(mapRow.opsPerSec)} ops/s`, result: formatCount(cachedRow.opsPerSec), target: "≥ 2,000,000 ops/s", met: cachedRow.opsPerSec >= 2_000_000 });

    // Sanity: both paths return all 20 values before being timed.
    const batch = await uncached.getSecrets(NAMES);
    if (Object.keys(batch).length !== NAMES.length) throw new Error("getSecrets did not return every name");
    report("20 secrets, uncached, one op = all 20 values (ops/s × 20 = values/s)", [
      await measure("baseline: 20 × getSecret in parallel", () => Promise.all(NAMES.map((n) => uncached.getSecret(n))), { concurrency: 4, durationMs: 5000 }),
      await measure("getSecrets(20 names): one GetSecrets", () => uncached.getSecrets(NAMES), { concurrency: 4, durationMs: 5000 }),
    ]);
  } finally {
    await cached.close();
    await uncached.close();
    await server.close();
    await kdb.close();
  }
}
