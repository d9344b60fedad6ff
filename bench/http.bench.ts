// The admin HTTP API on loopback (PGlite in memory) with 1,000 secrets: listing them in pages of
// 100 (each call authenticates, checks the role, validates the query against the spec and reads
// one keyset page), beside GET /healthz on the same server, the floor of any route there.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock } from "@keyward/common";
import { createAdminKey, createSecretStub, getDefaultEnvironment, migrateToLatest, wrapPglite } from "@keyward/db";
import { startHttpServer } from "@keyward/http";
import { measure, report } from "./lib/measure.js";
import { createHttpClient } from "./lib/http-client.js";

const SECRETS = 1000;
const PAGE = 100;

export default async function httpBench(): Promise<void> {
  const kdb = wrapPglite(await PGlite.create());
  await migrateToLatest(kdb.db);
  const at = new Date();
  const environmentId = (await getDefaultEnvironment(kdb.db)).id;
  for (let i = 0; i < SECRETS; i++) await createSecretStub(kdb.db, { environmentId, name: `BENCH_${String(i).padStart(4, "0")}`, description: "bench", requestedBy: "bench", at });
  const token = generateToken(ADMIN_TOKEN_PREFIX);
  await createAdminKey(kdb.db, { name: "bench", role: "viewer", keyHash: hashToken(token), actor: "bench", at });
  const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }), level: "error" });
  const server = await startHttpServer({ db: kdb.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger, clock: systemClock }, { host: "127.0.0.1", port: 0, rateLimitPerSecond: 1e9 });
  const base = `http://127.0.0.1:${server.port}`;
  const client = createHttpClient(base, { authorization: `Bearer ${token}` });

  // Cursors of every page, so each timed call reads a different page of the 1,000.
  const cursors: (string | null)[] = [null];
  for (;;) {
    const res = await client.request("GET", `/api/secrets?limit=${PAGE}${cursors.at(-1) ? `&cursor=${cursors.at(-1)}` : ""}`);
    const body = JSON.parse(res.body) as { items: unknown[]; nextCursor: string | null };
    if (body.items.length !== PAGE) throw new Error(`expected pages of ${PAGE}, got ${body.items.length}`);
    if (!body.nextCursor) break;
    cursors.push(body.nextCursor);
  }
  if (cursors.length !== SECRETS / PAGE) throw new Error(`expected ${SECRETS / PAGE} pages, got ${cursors.length}`);

  let next = 0;
  const options = { durationMs: 4000, concurrency: 8 };
  try {
    report(`admin HTTP: list ${SECRETS} secrets in pages of ${PAGE} (requests/s; × pages/s)`, [
      await measure("baseline: GET /healthz (same server)", async () => {
        const res = await client.request("GET", "/healthz");
        if (res.status !== 200) throw new Error(`healthz ${res.status}`);
      }, options),
      await measure(`GET /api/secrets?limit=${PAGE} (one page each)`, async () => {
        const cursor = cursors[next++ % cursors.length];
        const res = await client.request("GET", `/api/secrets?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`);
        if (res.status !== 200) throw new Error(`list ${res.status}`);
      }, options),
    ]);
  } finally {
    client.close();
    await server.close();
    await kdb.close();
  }
}
