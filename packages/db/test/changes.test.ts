import { defaultEnvironmentId } from "../src/testing.js";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, hashToken, kekFromKey } from "@keyward/common";
import {
  CHANGES_CHANNEL,
  connectPostgres,
  createAdminKey,
  createSecretStub,
  decideAccessRequest,
  decideServiceToken,
  ensureAccessRequest,
  parseChangeEvent,
  recordAccessRequestUse,
  recordAdminKeyUse,
  recordServiceTokenUse,
  registerServiceToken,
  setSecretValue,
  subscribeToChanges,
  type KeywardDatabase,
} from "../src/index.js";
import { startListenBlackholeProxy } from "../src/testing.js";
import { eventCollector } from "./events.js";
import { backends, freshPostgresWithUrl } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-05-06T07:08:09.000Z");
const run = promisify(execFile);

const toClose: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
});

describe.each(backends)("change notifications on %s", (_kind, fresh) => {
  it("announces secret, access and token changes, without values, and not use counters", async () => {
    const database = await fresh();
    toClose.push(database);
    const seen = eventCollector();
    toClose.push(await subscribeToChanges(database, seen.push));
    const { db } = database;

    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", description: "d", requestedBy: "svc", at });
    expect(await seen.next((e) => e.kind === "secret", "stub")).toEqual({ kind: "secret", name: "API_KEY", version: 0, status: "stub", environmentId: expect.stringMatching(/^env_/), environment: "development" });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", value: "sk_never_in_an_event", actor: "admin", at });
    expect(await seen.next((e) => e.kind === "secret", "set value")).toEqual({ kind: "secret", name: "API_KEY", version: 1, status: "active", environmentId: expect.stringMatching(/^env_/), environment: "development" });

    const token = await registerServiceToken(db, { environmentId: await defaultEnvironmentId(db), tokenHash: hashToken("kws_x"), serviceName: "billing", serviceVersion: "1", at });
    expect(await seen.next((e) => e.kind === "token", "token")).toEqual({ kind: "token", id: token.token.id, status: "pending", environmentId: expect.stringMatching(/^env_/), environment: "development" });
    await decideServiceToken(db, { environmentId: await defaultEnvironmentId(db), id: token.token.id, decision: "approve", actor: "admin", at });
    expect(await seen.next((e) => e.kind === "token", "approval")).toEqual({ kind: "token", id: token.token.id, status: "approved", environmentId: expect.stringMatching(/^env_/), environment: "development" });

    const request = await ensureAccessRequest(db, { environmentId: await defaultEnvironmentId(db), secretName: "API_KEY", serviceName: "billing", at });
    expect(await seen.next((e) => e.kind === "access", "request")).toEqual({ kind: "access", secretName: "API_KEY", serviceName: "billing", status: "pending", environmentId: expect.stringMatching(/^env_/), environment: "development" });
    await decideAccessRequest(db, { environmentId: await defaultEnvironmentId(db), id: request.request.id, decision: "grant", actor: "admin", at });
    expect(await seen.next((e) => e.kind === "access", "grant")).toEqual({ kind: "access", secretName: "API_KEY", serviceName: "billing", status: "granted", environmentId: expect.stringMatching(/^env_/), environment: "development" });
    // Every event so far has been consumed; whatever arrives from here on is counted.
    const afterGrant = seen.events.length;

    // Counting a use changes no answer, so it must not notify: the next event is the sentinel.
    await recordServiceTokenUse(db, token.token.id, at);
    await recordAccessRequestUse(db, request.request.id, at);
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "SENTINEL", description: "", requestedBy: "t", at });
    await seen.next((e) => e.kind === "secret" && e.name === "SENTINEL", "sentinel");
    expect(seen.events.slice(afterGrant)).toEqual([{ kind: "secret", name: "SENTINEL", version: 0, status: "stub", environmentId: expect.stringMatching(/^env_/), environment: "development" }]);
    expect(JSON.stringify(seen.events)).not.toContain("sk_never_in_an_event");
  });

  it("announces admin key and environment changes by id, not the key's hash nor its last-used stamp", async () => {
    const database = await fresh();
    toClose.push(database);
    const seen = eventCollector();
    toClose.push(await subscribeToChanges(database, seen.push));
    const { db } = database;
    const keyHash = hashToken("kwa_never_in_an_event");
    const key = await createAdminKey(db, { name: "ops", role: "admin", keyHash, actor: "t", at });
    expect(await seen.next((e) => e.kind === "admin_key", "created")).toEqual({ kind: "admin_key", id: key.id });
    // A use is stamped once a minute and changes nothing a cache holds: not announced (the sentinel comes first).
    await recordAdminKeyUse(db, key.id, at);
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "SENTINEL", description: "", requestedBy: "t", at });
    await seen.next((e) => e.kind === "secret" && e.name === "SENTINEL", "sentinel");
    expect(seen.events.filter((e) => e.kind === "admin_key")).toHaveLength(1);
    await db.updateTable("admin_api_keys").set({ revoked_at: at }).where("id", "=", key.id).execute();
    expect(await seen.next((e) => e.kind === "admin_key", "revoked")).toEqual({ kind: "admin_key", id: key.id });
    await db.updateTable("environments").set({ protected: true }).where("name", "=", "development").execute();
    expect(await seen.next((e) => e.kind === "environment", "protected")).toEqual({ kind: "environment", id: await defaultEnvironmentId(db), name: "development" });
    expect(JSON.stringify(seen.events)).not.toContain(keyHash);
  });

  it("stops calling after close, and ignores foreign payloads on the channel", async () => {
    const database = await fresh();
    toClose.push(database);
    const seen = eventCollector();
    const subscription = await subscribeToChanges(database, seen.push);
    await sql`select pg_notify(${CHANGES_CHANNEL}, 'not json'), pg_notify(${CHANGES_CHANNEL}, '{"kind":"secret"}')`.execute(database.db);
    await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: "FIRST", description: "", requestedBy: "t", at });
    await seen.next((e) => e.kind === "secret" && e.name === "FIRST", "first");
    await subscription.close();
    await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: "AFTER_CLOSE", description: "", requestedBy: "t", at });
    // A second, still-open subscription proves the notification was sent; the closed one got nothing.
    const other = eventCollector();
    toClose.push(await subscribeToChanges(database, other.push));
    await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: "SECOND", description: "", requestedBy: "t", at });
    await other.next((e) => e.kind === "secret" && e.name === "SECOND", "second");
    expect(seen.events.map((e) => (e.kind === "secret" ? e.name : e.kind))).toEqual(["FIRST"]);
  });
});

describe("parseChangeEvent", () => {
  it("accepts trigger payloads and rejects anything else", () => {
    expect(parseChangeEvent('{"kind":"token","id":"t1","status":"revoked"}')).toEqual({ kind: "token", id: "t1", status: "revoked", environmentId: null, environment: null });
    expect(parseChangeEvent('{"kind":"secret","name":"A","version":2,"status":"active","environmentId":"env_1","environment":"staging"}')).toEqual({ kind: "secret", name: "A", version: 2, status: "active", environmentId: "env_1", environment: "staging" });
    expect(parseChangeEvent('{"kind":"secret","name":"A","version":1.5,"status":"active"}')).toBeUndefined();
    expect(parseChangeEvent('{"kind":"access","secretName":"A","serviceName":"s","status":"maybe"}')).toBeUndefined();
    expect(parseChangeEvent('{"kind":"change_request","id":"cr_1","change":"secret.set_value","target":"secret:A","status":"pending","approvals":0,"approvalsRequired":2,"environmentId":"env_1","environment":"production"}')).toEqual({
      kind: "change_request", id: "cr_1", change: "secret.set_value", target: "secret:A", status: "pending", approvals: 0, approvalsRequired: 2, environmentId: "env_1", environment: "production",
    });
    expect(parseChangeEvent('{"kind":"change_request","id":"cr_1","change":"secret.set_value","target":"secret:A","status":"maybe","approvals":0,"approvalsRequired":2}')).toBeUndefined();
    expect(parseChangeEvent('{"kind":"change_request","id":"cr_1","change":"secret.set_value","target":"secret:A","status":"pending","approvals":"0","approvalsRequired":2}')).toBeUndefined();
    expect(parseChangeEvent('{"kind":"admin_key","id":"adm_1"}')).toEqual({ kind: "admin_key", id: "adm_1" });
    expect(parseChangeEvent('{"kind":"admin_key"}')).toBeUndefined();
    expect(parseChangeEvent('{"kind":"environment","id":"env_1","name":"staging"}')).toEqual({ kind: "environment", id: "env_1", name: "staging" });
    expect(parseChangeEvent('{"kind":"environment","id":"env_1"}')).toBeUndefined();
    expect(parseChangeEvent('{"kind":"other"}')).toBeUndefined();
    expect(parseChangeEvent("null")).toBeUndefined();
    expect(parseChangeEvent("{")).toBeUndefined();
  });
});

describe("change notifications across PostgreSQL connections and processes", () => {
  it("a write on one connection, or by another process, is an event on the other", async () => {
    const { database: listener, url } = await freshPostgresWithUrl();
    toClose.push(listener);
    const writer: KeywardDatabase = connectPostgres(url, { max: 2 });
    toClose.push(writer);
    const seen = eventCollector();
    toClose.push(await subscribeToChanges(listener, seen.push));

    await createSecretStub(writer.db, { environmentId: await defaultEnvironmentId(writer.db), name: "FROM_WRITER", description: "", requestedBy: "replica-b", at });
    expect(await seen.next((e) => e.kind === "secret", "writer")).toEqual({ kind: "secret", name: "FROM_WRITER", version: 0, status: "stub", environmentId: expect.stringMatching(/^env_/), environment: "development" });

    // psql is a different process that knows nothing of Keyward: the trigger still notifies.
    await run("psql", [url, "-v", "ON_ERROR_STOP=1", "-c", "update secrets set status = 'disabled' where name = 'FROM_WRITER'"]);
    expect(await seen.next((e) => e.kind === "secret", "psql")).toEqual({ kind: "secret", name: "FROM_WRITER", version: 0, status: "disabled", environmentId: expect.stringMatching(/^env_/), environment: "development" });

    // A rolled-back change is never announced.
    await writer.db
      .transaction()
      .execute(async (trx) => {
        await createSecretStub(trx, { environmentId: await defaultEnvironmentId(trx), name: "ROLLED_BACK", description: "", requestedBy: "t", at });
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await createSecretStub(writer.db, { environmentId: await defaultEnvironmentId(writer.db), name: "COMMITTED", description: "", requestedBy: "t", at });
    await seen.next((e) => e.kind === "secret" && e.name === "COMMITTED", "committed");
    expect(seen.events.some((e) => e.kind === "secret" && e.name === "ROLLED_BACK")).toBe(false);
  });

  it("reconnects when the listening connection is killed, and says so", async () => {
    const { database, url } = await freshPostgresWithUrl();
    toClose.push(database);
    const seen = eventCollector();
    const states: string[] = [];
    let reconnected: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (reconnected = resolve));
    toClose.push(
      await subscribeToChanges(database, seen.push, {
        onLost: () => states.push("lost"),
        onReconnect: () => {
          states.push("back");
          reconnected();
        },
      }),
    );
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const killed = await admin.query(
        "select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'",
      );
      expect(killed.rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    await back;
    expect(states).toEqual(["lost", "back"]);
    await createSecretStub(database.db, { environmentId: await defaultEnvironmentId(database.db), name: "AFTER_RECONNECT", description: "", requestedBy: "t", at });
    expect(await seen.next((e) => e.kind === "secret", "after reconnect")).toMatchObject({ name: "AFTER_RECONNECT" });
  });

  it("finds a listening connection that silently stops passing traffic by its heartbeat, and reconnects once traffic passes", async () => {
    const { database: writer, url } = await freshPostgresWithUrl();
    toClose.push(writer);
    const proxy = await startListenBlackholeProxy(url);
    toClose.push(proxy);
    // Only the listening connection goes through the proxy.
    const listening = connectPostgres(proxy.url, { max: 1 });
    toClose.push(listening);
    const seen = eventCollector();
    const states: string[] = [];
    const waiters: Record<string, () => void> = {};
    const waitFor = (state: string) => new Promise<void>((resolve) => void (waiters[state] = resolve));
    const note = (state: string) => () => {
      states.push(state);
      waiters[state]?.();
    };
    toClose.push(await subscribeToChanges(listening, seen.push, { heartbeatMs: 300, onLost: note("lost"), onReconnect: note("back") }));
    await createSecretStub(writer.db, { environmentId: await defaultEnvironmentId(writer.db), name: "BEFORE", description: "", requestedBy: "t", at });
    await seen.next((e) => e.kind === "secret" && e.name === "BEFORE", "before");

    const lost = waitFor("lost");
    proxy.blackhole();
    // Nothing closes the socket: only the unanswered heartbeat can tell.
    await lost;
    await createSecretStub(writer.db, { environmentId: await defaultEnvironmentId(writer.db), name: "DURING", description: "", requestedBy: "t", at });
    // While the proxy still swallows LISTEN connections, reconnecting keeps failing: no "back" yet.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(states).toEqual(["lost"]);

    const back = waitFor("back");
    proxy.release();
    await back;
    expect(states).toEqual(["lost", "back"]);
    expect(proxy.listeners).toBeGreaterThanOrEqual(3);
    await createSecretStub(writer.db, { environmentId: await defaultEnvironmentId(writer.db), name: "AFTER", description: "", requestedBy: "t", at });
    await seen.next((e) => e.kind === "secret" && e.name === "AFTER", "after");
    // The change made while the connection was dead was missed (hence onLost and onReconnect).
    expect(seen.events.some((e) => e.kind === "secret" && e.name === "DURING")).toBe(false);
  });
});
