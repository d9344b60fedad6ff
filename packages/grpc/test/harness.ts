// Shared test set-up: real databases (a cloned migrated PGlite, or a throwaway PostgreSQL
// database), a real grpc server on loopback port 0, and a generated client.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { createEnvelope, createLogger, generateToken, hashToken, kekFromKey, SERVICE_TOKEN_PREFIX, systemClock, type Clock, type Envelope } from "@keyward/common";
import {
  connectPostgres,
  createSecretStub,
  decideAccessRequest,
  decideServiceToken,
  ensureAccessRequest,
  getDefaultEnvironment,
  getEnvironmentByName,
  registerServiceToken,
  setSecretValue,
  type Database,
  type KeywardDatabase,
} from "@keyward/db";
import { createPgliteTemplate, createPostgresTestDatabases, type TestPglite } from "@keyward/db/testing";
import { SecretsServiceClient } from "@keyward/proto";
import { sql, type Kysely } from "kysely";
import { afterAll } from "vitest";
import { REASON_TRAILER, startGrpcServer, type GrpcServerOptions, type RunningGrpcServer, type Timers } from "../src/index.js";

/** A migrated PGlite cloned from one template per test file; `pglite` is the raw instance (tests hold its lock). */
export const freshPglite: () => Promise<TestPglite> = createPgliteTemplate();

const postgres = createPostgresTestDatabases({ prefix: "keyward_grpc_test" });
afterAll(() => postgres.dropAll());

/** The URL of a new, migrated database on the real PostgreSQL; dropped after the file's tests. */
export const freshPostgresUrl = (): Promise<string> => postgres.freshUrl();

/** The system time moved by `offsetMs`: tests move it forward to pass an expiry. */
export const movableClock = (): Clock & { offsetMs: number } => {
  const clock: Clock & { offsetMs: number } = { offsetMs: 0, now: (): Date => new Date(Date.now() + clock.offsetMs) };
  return clock;
};

/** Timers that fire only when a test says so: `fire()` runs every pending callback and awaits what it started. */
export const manualTimers = (): Timers & { pending(): number; fire(): Promise<void> } => {
  const due = new Map<number, () => Promise<void>>();
  let next = 0;
  return {
    setTimeout: (fn) => (due.set(++next, fn), next),
    clearTimeout: (handle) => void due.delete(handle as number),
    pending: () => due.size,
    async fire() {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) await fn();
    },
  };
};

/** Both backends, for describe.each: a cloned PGlite, or a fresh database on the real PostgreSQL. */
export const bothDatabases = [
  ["PGlite", async (): Promise<KeywardDatabase> => freshPglite()],
  ["PostgreSQL", async (): Promise<KeywardDatabase> => connectPostgres(await freshPostgresUrl(), { max: 4 })],
] as const;

export interface TestServer {
  kdb: KeywardDatabase;
  envelope: Envelope;
  auditKey: Uint8Array;
  server: RunningGrpcServer;
  client: SecretsServiceClient;
  address: string;
  /** Everything logged so far, to assert that no value or token leaks. */
  logs(): string;
  close(): Promise<void>;
}

/** Starts a grpc server on loopback over `kdb` (which it closes on close()). */
export async function startTestServer(
  kdb: KeywardDatabase,
  options: Partial<GrpcServerOptions> = {},
  keys: { envelope?: Envelope; auditKey?: Uint8Array; withChanges?: boolean; clock?: Clock; timers?: Timers } = {},
): Promise<TestServer> {
  let logText = "";
  const destination = new Writable({ write: (chunk, _enc, cb) => ((logText += chunk.toString()), cb()) });
  const logger = createLogger({ destination, level: "debug" });
  const envelope = keys.envelope ?? createEnvelope({ active: kekFromKey(randomBytes(32)) });
  const auditKey = keys.auditKey ?? randomBytes(32);
  // With the database handle the server listens for changes: caches and WatchSecrets are on.
  const database = keys.withChanges === false ? undefined : kdb;
  const server = await startGrpcServer({ db: kdb.db, envelope, auditKey, logger, clock: keys.clock ?? systemClock, ...(database ? { database } : {}), ...(keys.timers ? { timers: keys.timers } : {}) }, { host: "127.0.0.1", port: 0, ...options });
  const address = `127.0.0.1:${server.port}`;
  const client = new SecretsServiceClient(address, credentials.createInsecure());
  return {
    kdb,
    envelope,
    auditKey,
    server,
    client,
    address,
    logs: () => logText,
    close: async () => {
      client.close();
      await server.close();
      await kdb.close();
    },
  };
}

export const bearer = (token?: string, raw?: string) => {
  const m = new Metadata();
  if (raw !== undefined) m.set("authorization", raw);
  else if (token) m.set("authorization", `Bearer ${token}`);
  return m;
};

export const reasonOf = (err?: ServiceError | null) => err?.metadata?.get(REASON_TRAILER)[0];

/** Calls a unary method of a grpc-js client and returns its error or its response. */
export function unary<Req, Res>(
  method: (req: Req, md: Metadata, cb: (err: ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
  md: Metadata,
): Promise<{ res?: Res; err?: ServiceError }> {
  return new Promise((resolve) => method(req, md, (err, res) => resolve(err ? { err } : { res: res! })));
}

/** The id of the environment named `name`, or of the default one (development on a fresh database). */
export async function environmentId(db: Kysely<Database>, name?: string): Promise<string> {
  const env = name === undefined ? await getDefaultEnvironment(db) : await getEnvironmentByName(db, name);
  if (!env) throw new Error(`no environment ${name}`);
  return env.id;
}

/** A token registered directly in the database with the given status (and expiry, when approved), in `environment` (default: the default one); returns the plaintext. */
export async function tokenWithStatus(
  db: Kysely<Database>,
  serviceName: string,
  status: "pending" | "approved" | "revoked",
  expiresAt?: Date,
  environment?: string,
): Promise<{ token: string; id: string }> {
  const token = generateToken(SERVICE_TOKEN_PREFIX);
  const envId = await environmentId(db, environment);
  const { token: row } = await registerServiceToken(db, { environmentId: envId, tokenHash: hashToken(token), serviceName, serviceVersion: "1.0.0", at: new Date() });
  if (status !== "pending") await decideServiceToken(db, { environmentId: envId, id: row.id, decision: status === "approved" ? "approve" : "revoke", actor: "admin", at: new Date(), ...(expiresAt ? { expiresAt } : {}) });
  return { token, id: row.id };
}

/** Creates a secret (with a value unless `value` is undefined) and the service's access request in `access` state, in `environment` (default: the default one). */
export async function secretFor(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { name: string; serviceName: string; value?: string; access: "pending" | "granted" | "denied" | "revoked"; environment?: string },
): Promise<{ requestId: string }> {
  const envId = await environmentId(db, input.environment);
  await createSecretStub(db, { environmentId: envId, name: input.name, description: "test", requestedBy: "admin", at: new Date() });
  if (input.value !== undefined) await setSecretValue(db, envelope, { environmentId: envId, name: input.name, value: input.value, actor: "admin", at: new Date() });
  const { request } = await ensureAccessRequest(db, { environmentId: envId, secretName: input.name, serviceName: input.serviceName, at: new Date() });
  const decision = { pending: undefined, granted: "grant", denied: "deny", revoked: "revoke" } as const;
  const d = decision[input.access];
  if (d) await decideAccessRequest(db, { environmentId: envId, id: request.id, decision: d, actor: "admin", at: new Date() });
  return { requestId: request.id };
}

/** Row counts of every table in the schema (found, not listed), to assert that a call wrote nothing but audit rows. */
export async function tableCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(name)}`.execute(db);
    counts[name] = Number(row.rows[0]!.n);
  }
  return counts;
}

/** Polls `check` until it returns true (bounded by `tries`); for effects that land asynchronously. */
export async function eventually(check: () => Promise<boolean> | boolean, tries = 200, everyMs = 25): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met after ${tries} tries`);
}

/**
 * Locks `table` from a separate PostgreSQL connection until unlock(): the server's queries on it
 * wait. `waiting()` resolves once one of them is seen waiting on the lock (pg_stat_activity), which
 * proves a call is in flight inside the server.
 */
export async function lockTable(url: string, observer: Kysely<Database>, table: "service_tokens" | "secrets"): Promise<{ waiting(): Promise<void>; unlock(): Promise<void> }> {
  const locker = connectPostgres(url, { max: 1 });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holding = locker.db.transaction().execute(async (trx) => {
    await sql.raw(`lock table ${table} in access exclusive mode`).execute(trx);
    locked();
    await gate;
  });
  await isLocked;
  const unlock = async () => {
    release();
    await holding;
    await locker.close();
  };
  return {
    unlock,
    waiting: () =>
      eventually(async () => {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike ${"%" + table + "%"}`.execute(observer);
        return r.rows[0]!.n > 0;
      }, 400).catch(async (error: unknown) => {
        await unlock();
        throw error;
      }),
  };
}
