import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { connectPostgres, getOutboxEvent, listOutboxEvents, recordEvent, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate, createPostgresTestDatabases } from "@keyward/db/testing";
import { createOutboxDispatcher } from "../src/index.js";
import { createRunsTable, movableClock, until } from "./helpers.js";
import { startReceiver } from "./receiver.js";

const freshPglite = createPgliteTemplate();
const databases = createPostgresTestDatabases({ prefix: "kw_notify_outbox" });
const open: { close(): Promise<void> }[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const d of open) await d.close();
  await databases.dropAll();
});

const fixture = fileURLToPath(new URL("./fixtures/outbox-crash.mjs", import.meta.url));
function startChild(args: string[], marker: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [fixture, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = marker.exec(out);
      if (m) resolve({ child, line: m[0] });
    });
    child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${out}`)));
  });
}
async function sigkill(child: ChildProcess) {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

describe("outbox (PGlite)", () => {
  it("an event rolled back with its change is never seen; a committed one is handed on once, and retried with backoff after a failure", async () => {
    const database = await freshPglite();
    open.push(database);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordEvent(trx, { type: "access.requested", environment: "production", subject: "billing/STRIPE_KEY", link: "/admin/approvals" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await listOutboxEvents(database.db)).toEqual([]);
    // Outside a transaction it is refused: an event never commits apart from its change.
    await expect(recordEvent(database.db, { type: "token.pending", subject: "x", link: "/admin" })).rejects.toThrow("recordEvent must be called with the transaction of the change that causes the event");

    const id = await database.db.transaction().execute((trx) => recordEvent(trx, { type: "access.requested", environment: "production", subject: "billing/STRIPE_KEY", link: "/admin/approvals" }));
    const clock = movableClock(new Date());
    const seen: string[] = [];
    let fail = true;
    const dispatcher = createOutboxDispatcher({
      db: database.db,
      clock,
      backoff: { baseMs: 1_000, maxMs: 10_000 },
      handle: async (e) => {
        seen.push(e.id);
        if (fail) throw new Error("receiver answered 503");
      },
    });
    expect(await dispatcher.drain()).toEqual({ dispatched: 0, failed: 1 });
    expect(await getOutboxEvent(database.db, id)).toMatchObject({ status: "pending", attempts: 1, last_error: "receiver answered 503" });
    expect(await dispatcher.drain()).toEqual({ dispatched: 0, failed: 0 }); // backing off
    clock.advance(1_000);
    fail = false;
    expect(await dispatcher.drain()).toEqual({ dispatched: 1, failed: 0 });
    expect(await dispatcher.drain()).toEqual({ dispatched: 0, failed: 0 });
    expect(seen).toEqual([id, id]);
    expect(await getOutboxEvent(database.db, id)).toMatchObject({ status: "dispatched", attempts: 2, last_error: null });
  });
});

describe("outbox across a crash (PostgreSQL, SIGKILL)", () => {
  async function fresh(): Promise<{ url: string; database: KeywardDatabase }> {
    const url = await databases.freshUrl();
    const database = connectPostgres(url, { max: 3 });
    open.push(database);
    await createRunsTable(database.db);
    return { url, database };
  }

  it("loses nothing when killed after the commit and before any send: a restarted dispatcher delivers it once", { timeout: 120_000 }, async () => {
    const { url, database } = await fresh();
    const receiver = await startReceiver();
    open.push(receiver);
    const { child, line } = await startChild(["commit", url], /committed (evt_[0-9a-f]{32})/);
    const id = line.split(" ")[1]!;
    await sigkill(child);
    // The change and its event committed together.
    expect((await sql<{ n: number }>`select count(*)::int as n from job_runs where owner = 'change'`.execute(database.db)).rows[0]!.n).toBe(1);
    const restarted = createOutboxDispatcher({
      db: database.db,
      handle: async (e) => void (await fetch(receiver.url, { method: "POST", headers: { "idempotency-key": e.id }, body: "{}" })),
    });
    expect(await restarted.drain()).toEqual({ dispatched: 1, failed: 0 });
    expect([...receiver.unique.keys()]).toEqual([id]);
    expect(receiver.all).toHaveLength(1);
  });

  it("sends nothing twice to a receiver that honours the key when killed between the send and its mark", { timeout: 120_000 }, async () => {
    const { url, database } = await fresh();
    const id = await database.db.transaction().execute((trx) => recordEvent(trx, { type: "secret.stub_created", environment: "staging", subject: "STRIPE_KEY", link: "/admin/missing" }));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const firstArrived = new Promise<void>((r) => (arrived = r));
    const receiver = await startReceiver(async (_r, n) => {
      if (n === 1) {
        arrived();
        await held; // the child dies before it hears the answer
      }
      return 200;
    });
    open.push(receiver);
    const child = spawn(process.execPath, [fixture, "send", url, receiver.url], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    await firstArrived;
    await sigkill(child);
    release();
    expect(await getOutboxEvent(database.db, id)).toMatchObject({ status: "pending", attempts: 1 });

    const restarted = createOutboxDispatcher({
      db: database.db,
      claimMs: 1_000,
      handle: async (e) => void (await fetch(receiver.url, { method: "POST", headers: { "idempotency-key": e.id }, body: "{}" })),
    });
    // The dead dispatcher's claim runs out (1 s, database time); then the event is handed on again.
    await until(async () => (await restarted.drain()).dispatched === 1, "the event was never handed on again");
    expect(receiver.all.map((r) => r.key)).toEqual([id, id]);
    expect([...receiver.unique.keys()]).toEqual([id]);
    expect(await getOutboxEvent(database.db, id)).toMatchObject({ status: "dispatched", attempts: 2 });
  });
});
