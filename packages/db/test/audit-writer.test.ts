import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { KeywardError } from "@keyward/common";
import pg from "pg";
import {
  appendAudit,
  connectPostgres,
  createAuditWriter,
  createSecretStub,
  decideAccessRequest,
  ensureAccessRequest,
  getEnvironmentByName,
  inAuditedTransaction,
  registerServiceToken,
  updateEnvironment,
  verifyAuditChain,
  type KeywardDatabase,
  type NewAuditRow,
} from "../src/index.js";
import { findUnauditedChanges } from "../src/testing.js";
import { backends, freshPglite, freshPostgresWithUrl } from "./harness.js";

const auditKey = randomBytes(32);
const at = new Date("2026-07-08T09:10:11.000Z");
const row = (i: number): NewAuditRow => ({ at, actor_type: "service", actor_id: `svc-${i}`, action: "secret.read", target: "secret:API_KEY", result: "ok", request_id: `r${i}` });

const toClose: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
});

/** Rows written by one transaction share its xmin: this counts transactions, not time. */
async function transactionSizes(database: KeywardDatabase): Promise<number[]> {
  const r = await sql<{ n: number }>`select count(*)::int as n from audit_log group by xmin::text order by min(seq)`.execute(database.db);
  return r.rows.map((x) => x.n);
}

describe.each(backends)("audit writer on %s", (_kind, fresh) => {
  it("group-commits rows that arrive together into one chained transaction", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey, maxBatch: 10 });
    toClose.push(writer);
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append(row(i))));
    // The first row starts a write at once; the 49 that queue behind it go in batches of at most 10.
    expect(await transactionSizes(database)).toEqual([1, 10, 10, 10, 10, 9]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 50 });
    const ids = await database.db.selectFrom("audit_log").select("request_id").orderBy("seq").execute();
    expect(ids.map((r) => r.request_id)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
  });

  it("waits up to maxDelayMs for company, and close() writes what is queued", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey, maxDelayMs: 60_000 });
    const appended = Promise.all([writer.append(row(1)), writer.append(row(2)), writer.append(row(3))]);
    await writer.close();
    await appended;
    expect(await transactionSizes(database)).toEqual([3]);
    await expect(writer.append(row(4))).rejects.toThrow(/audit writer is closed/);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 3 });
  });

  it("a full batch does not wait for the delay", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey, maxBatch: 2, maxDelayMs: 60_000 });
    toClose.push(writer);
    // Resolving at all proves the write started without the 60 s delay (the test timeout is 30 s).
    await Promise.all([writer.append(row(1)), writer.append(row(2))]);
    expect(await transactionSizes(database)).toEqual([2]);
  });

  it("refuses only the bad row of a batch; its batchmates are written", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey });
    toClose.push(writer);
    const bad = { ...row(2), actor_type: null } as unknown as NewAuditRow;
    const results = await Promise.allSettled([writer.append(row(1)), writer.append(row(1)), writer.append(bad), writer.append(row(3))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 3 });
  });

  it("after another appender wrote, a writer's next batch still chains after the newest row", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey });
    toClose.push(writer);
    await writer.append(row(1));
    await writer.append(row(2)); // one statement, after the tail the writer remembers
    await appendAudit(database.db, auditKey, row(3)); // makes that remembered tail stale
    await Promise.all([writer.append(row(4)), writer.append(row(5))]);
    await writer.append(row(6));
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 6 });
    const ids = await database.db.selectFrom("audit_log").select("request_id").orderBy("seq").execute();
    expect(ids.map((r) => r.request_id)).toEqual(["r1", "r2", "r3", "r4", "r5", "r6"]);
  });

  it("a change and the audit rows it queues commit together, or neither does", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey });
    toClose.push(writer);
    await writer.append(row(1));
    const made = await inAuditedTransaction(database.db, auditKey, async (trx, audit) => {
      await trx.insertInto("admin_api_keys").values({ id: "k1", name: "one", role: "viewer", key_hash: "a".repeat(64), created_at: at, created_by: "t" }).execute();
      audit(row(2));
      audit(row(3));
      return "made";
    });
    expect(made).toBe("made");
    await expect(
      inAuditedTransaction(database.db, auditKey, async (trx, audit) => {
        await trx.insertInto("admin_api_keys").values({ id: "k2", name: "two", role: "viewer", key_hash: "b".repeat(64), created_at: at, created_by: "t" }).execute();
        audit(row(4));
        throw new Error("the change failed after its write");
      }),
    ).rejects.toThrow(/failed after its write/);
    // The writer's remembered head is stale now (rows 2 and 3 went in without it): it re-chains.
    await writer.append(row(5));
    expect((await database.db.selectFrom("admin_api_keys").select("id").execute()).map((k) => k.id)).toEqual(["k1"]);
    const ids = await database.db.selectFrom("audit_log").select("request_id").orderBy("seq").execute();
    expect(ids.map((r) => r.request_id)).toEqual(["r1", "r2", "r3", "r5"]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 4 });
  });

  it("runs a change again when a prepared statement had to be prepared afresh, and commits it once", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey });
    toClose.push(writer);
    let runs = 0;
    const made = await writer.change(async (trx, audit) => {
      runs++;
      await trx.insertInto("admin_api_keys").values({ id: `k${runs}`, name: `key ${runs}`, role: "viewer", key_hash: String(runs).repeat(64), created_at: at, created_by: "t" }).execute();
      audit(row(runs));
      // As pg reports a statement whose result columns a migration changed: the transaction is aborted, nothing committed.
      if (runs === 1) throw Object.assign(new Error("cached plan must not change result type"), { code: "0A000", routine: "RevalidateCachedQuery" });
      return "made";
    });
    expect([made, runs]).toEqual(["made", 2]);
    expect((await database.db.selectFrom("admin_api_keys").select("id").execute()).map((k) => k.id)).toEqual(["k2"]);
    expect((await database.db.selectFrom("audit_log").select("request_id").execute()).map((r) => r.request_id)).toEqual(["r2"]);
    // Any other error is the caller's, at once.
    await expect(writer.change(async () => { throw Object.assign(new Error("not supported"), { code: "0A000", routine: "transformSomething" }); })).rejects.toThrow(/not supported/);
  });

  it("names bad options", () => {
    expect(() => createAuditWriter({ db: undefined as never, auditKey, maxBatch: 0 })).toThrow(/maxBatch must be a positive integer, got 0/);
    expect(() => createAuditWriter({ db: undefined as never, auditKey, maxDelayMs: -1 })).toThrow(KeywardError);
  });
});

/** Transactions PostgreSQL rolled back in this database so far (stats are flushed when a backend exits). */
async function rollbacks(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_stat_clear_snapshot()");
    return Number((await client.query<{ n: string }>("select xact_rollback::text as n from pg_stat_database where datname = current_database()")).rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe("audit writers on two PostgreSQL connections", () => {
  it("never collide when they disagree about the chain's head: no statement fails, nothing is rolled back (issue #20)", async () => {
    const { database: setup, url } = await freshPostgresWithUrl();
    await setup.close();
    const a = connectPostgres(url, { max: 2 });
    const b = connectPostgres(url, { max: 2 });
    const writerA = createAuditWriter({ db: a.db, auditKey });
    const writerB = createAuditWriter({ db: b.db, auditKey });
    // Each writer learns a head, then the other (or a change in its own transaction) moves it.
    await writerA.append(row(1));
    await writerB.append(row(2));
    await writerA.append(row(3));
    await inAuditedTransaction(b.db, auditKey, async (_trx, audit) => audit(row(4)));
    await writerB.append(row(5));
    await Promise.all([...Array.from({ length: 20 }, (_, i) => writerA.append(row(10 + i))), ...Array.from({ length: 20 }, (_, i) => writerB.append(row(40 + i)))]);
    await writerA.close();
    await writerB.close();
    await a.close();
    await b.close();
    // A backend flushes its statistics as it exits; poll until both pools' backends are gone.
    const counter = new pg.Client({ connectionString: url });
    await counter.connect();
    for (let i = 0; i < 100; i++) {
      const { rows } = await counter.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await counter.end();
    expect(await rollbacks(url)).toBe(0);
    const check = connectPostgres(url, { max: 1 });
    toClose.push(check);
    expect(await verifyAuditChain(check.db, auditKey)).toEqual({ ok: true, rows: 45 });
  });

  it("interleave into one valid chain with appendAudit, and a row is visible to others once append resolves", async () => {
    const { database: a, url } = await freshPostgresWithUrl();
    toClose.push(a);
    const b = connectPostgres(url, { max: 2 });
    toClose.push(b);
    const writerA = createAuditWriter({ db: a.db, auditKey, maxBatch: 7 });
    const writerB = createAuditWriter({ db: b.db, auditKey, maxBatch: 5 });
    toClose.push(writerA, writerB);
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => writerA.append(row(i))),
      ...Array.from({ length: 30 }, (_, i) => writerB.append(row(100 + i))),
      ...Array.from({ length: 5 }, (_, i) => appendAudit(a.db, auditKey, row(200 + i))),
    ]);
    expect(await verifyAuditChain(b.db, auditKey)).toEqual({ ok: true, rows: 65 });
    await writerA.append(row(999));
    const seenByB = await b.db.selectFrom("audit_log").select("request_id").where("request_id", "=", "r999").execute();
    expect(seenByB).toHaveLength(1);
  });
});

describe("findUnauditedChanges", () => {
  it("explains a database written through the audited paths, and names a change made behind their back", async () => {
    const database = await freshPglite();
    toClose.push(database);
    const db = database.db;
    const row = (action: string, target: string, result = "ok", environment = "development"): NewAuditRow => ({ at, actor_type: "admin", actor_id: "t", action, target, result, environment });
    await inAuditedTransaction(db, auditKey, async (trx, audit) => {
      await createSecretStub(trx, { environmentId: await defaultEnvironmentId(trx), name: "EXPLAINED", description: "", requestedBy: "t", at });
      audit(row("secret.stub", "secret:EXPLAINED", "created"));
      const { request } = await ensureAccessRequest(trx, { environmentId: await defaultEnvironmentId(trx), secretName: "EXPLAINED", serviceName: "svc", at });
      audit(row("access.request", "access:svc/EXPLAINED", "created"));
      await decideAccessRequest(trx, { environmentId: await defaultEnvironmentId(trx), id: request.id, decision: "grant", actor: "t", at });
      audit(row("access.grant", "access:svc/EXPLAINED"));
      const { token } = await registerServiceToken(trx, { environmentId: await defaultEnvironmentId(trx), tokenHash: "c".repeat(64), serviceName: "svc", serviceVersion: "1", at });
      audit(row("token.register", `token:${token.id}`, "created"));
    });
    expect(await findUnauditedChanges(db)).toEqual([]);
    // An environment renamed after its rows were written still owns them.
    await inAuditedTransaction(db, auditKey, async (trx, audit) => {
      const r = await updateEnvironment(trx, { name: "development", newName: "dev" });
      if (r.kind !== "ok") throw new Error(r.kind);
      audit({ ...row("environment.update", `environment:${r.environment.id}`, "ok", "dev"), reason: "renamed development to dev" });
    });
    expect(await findUnauditedChanges(db)).toEqual([]);
    // A row written in another environment explains nothing here: staging's stub row does not account for a production secret.
    const production = (await getEnvironmentByName(db, "production"))!.id;
    await inAuditedTransaction(db, auditKey, async (_trx, audit) => audit(row("secret.stub", "secret:ELSEWHERE", "created", "staging")));
    await createSecretStub(db, { environmentId: production, name: "ELSEWHERE", description: "", requestedBy: "t", at });
    expect((await findUnauditedChanges(db)).map((f) => f.key)).toEqual(["ELSEWHERE"]);
    await db.deleteFrom("secrets").where("name", "=", "ELSEWHERE").execute();
    // Someone with database access approves the token and adds a secret directly.
    await db.updateTable("service_tokens").set({ status: "approved" }).execute();
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "SNUCK_IN", description: "", requestedBy: "t", at });
    const found = await findUnauditedChanges(db);
    expect(found.map((f) => [f.table, f.problem])).toEqual([
      ["secrets", "exists, but no secret.create, secret.stub, secret.promote or signing_key.create row"],
      ["service_tokens", "was approved or revoked, but no row records it"],
    ]);
  });
});
