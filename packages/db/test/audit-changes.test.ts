import { randomBytes } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { appendAudit, createAuditWriter, verifyAuditChain, type Database, type KeywardDatabase, type NewAuditRow } from "../src/index.js";
import { backends, freshPostgres } from "./harness.js";

// AuditWriter.change: concurrent admin changes share one transaction and one chain append (issue
// #18), and each still commits with its own audit rows or not at all.
const auditKey = randomBytes(32);
const at = new Date("2026-11-30T10:00:00.000Z");
const row = (id: string): NewAuditRow => ({ at, actor_type: "admin", actor_id: "tester", action: "admin_key.create", target: `admin_key:${id}`, result: "ok", request_id: id });
const addKey = (trx: Transaction<Database>, id: string) =>
  trx.insertInto("admin_api_keys").values({ id, name: id, role: "viewer", key_hash: randomBytes(32).toString("hex"), created_at: at, created_by: "tester" }).execute();

const toClose: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
});

async function open(fresh: () => Promise<KeywardDatabase>, options: { maxChanges?: number; changeConcurrency?: number } = {}) {
  const database = await fresh();
  toClose.push(database);
  // One group at a time unless a test says otherwise: group sizes are then exact.
  const writer = createAuditWriter({ db: database.db, auditKey, changeConcurrency: 1, ...options });
  toClose.push(writer);
  const keys = async () => (await database.db.selectFrom("admin_api_keys").select("id").orderBy("id").execute()).map((k) => k.id);
  const audited = async () => (await database.db.selectFrom("audit_log").select("request_id").orderBy("seq").execute()).map((r) => r.request_id);
  /** Audit rows per transaction, in commit order (rows of one transaction share its xmin). */
  const transactions = async () => (await sql<{ n: number }>`select count(*)::int as n from audit_log group by xmin::text order by min(seq)`.execute(database.db)).rows.map((r) => r.n);
  return { database, writer, keys, audited, transactions };
}

describe.each(backends)("audited changes through the writer on %s", (_kind, fresh) => {
  it("changes that arrive together commit in one transaction, each with its own rows, and the chain verifies", async () => {
    const { database, writer, keys, audited, transactions } = await open(fresh);
    const ids = Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    const results = await Promise.all(
      ids.map((id) =>
        writer.change(async (trx, audit) => {
          await addKey(trx, id);
          audit(row(id));
          return id.toUpperCase();
        }),
      ),
    );
    expect(results).toEqual(ids.map((id) => id.toUpperCase()));
    expect(await keys()).toEqual(ids);
    expect(await audited()).toEqual(ids);
    // The first change starts at once; the eleven that queued behind it share the next transaction.
    expect(await transactions()).toEqual([1, 11]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 12 });
  });

  it("a change that throws is rolled back and refused alone; its batchmates commit", async () => {
    const { database, writer, keys, audited, transactions } = await open(fresh);
    const runs = new Map<string, number>();
    const change = (id: string, fail?: "throw" | "db") =>
      writer.change(async (trx, audit) => {
        runs.set(id, (runs.get(id) ?? 0) + 1);
        await addKey(trx, id);
        audit(row(id));
        if (fail === "throw") throw new Error(`change ${id} refused after its write`);
        // A database error aborts the whole transaction: the batch is rolled back and split.
        if (fail === "db") await addKey(trx, id);
        return id;
      });
    const settled = await Promise.allSettled([change("a"), change("b"), change("c", "throw"), change("d"), change("e", "db"), change("f")]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/change c refused after its write/);
    expect(String((settled[4] as PromiseRejectedResult).reason)).toMatch(/duplicate key|unique/i);
    expect(await keys()).toEqual(["a", "b", "d", "f"]);
    expect(await audited()).toEqual(["a", "b", "d", "f"]);
    // "a" ran at once, alone; b–f formed one batch, which c's throw rolled back before d ran: each
    // of b–f then ran in a transaction of its own, and only the ones that succeed alone committed.
    expect(Object.fromEntries(runs)).toEqual({ a: 1, b: 2, c: 2, d: 1, e: 1, f: 1 });
    expect(await transactions()).toEqual([1, 1, 1, 1]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 4 });
  });

  it("a lone change that throws leaves nothing behind", async () => {
    const { writer, keys, audited } = await open(fresh);
    await expect(
      writer.change(async (trx, audit) => {
        await addKey(trx, "lone");
        audit(row("lone"));
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await keys()).toEqual([]);
    expect(await audited()).toEqual([]);
  });

  it("interleaves with read rows and another appender, and the chain stays whole", async () => {
    const { database, writer, audited } = await open(fresh);
    const read = (id: string): NewAuditRow => ({ ...row(id), actor_type: "service", action: "secret.read" });
    await Promise.all([writer.append(read("r1")), writer.change(async (trx, audit) => (await addKey(trx, "c1"), audit(row("c1")))), writer.append(read("r2"))]);
    // Another process appends: the writer's remembered tail is stale for its next change.
    await appendAudit(database.db, auditKey, row("other"));
    await Promise.all([writer.change(async (trx, audit) => (await addKey(trx, "c2"), audit(row("c2")))), writer.append(read("r3"))]);
    expect((await audited()).sort()).toEqual(["c1", "c2", "other", "r1", "r2", "r3"]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 6 });
  });

  it("maxChanges caps a batch, and close() waits for the changes in flight", async () => {
    const { database, writer, transactions } = await open(fresh, { maxChanges: 3 });
    const pending = Array.from({ length: 7 }, (_, i) => writer.change(async (trx, audit) => (await addKey(trx, `m${i}`), audit(row(`m${i}`)))));
    await writer.close();
    await Promise.all(pending);
    expect(await transactions()).toEqual([1, 3, 3]);
    await expect(writer.change(async () => undefined)).rejects.toThrow(/audit writer is closed/);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 7 });
  });

  it("with several groups at once, every change commits with its own rows", async () => {
    const { database, writer, keys, audited, transactions } = await open(fresh, { changeConcurrency: 3 });
    const ids = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    await Promise.all(ids.map((id) => writer.change(async (trx, audit) => (await addKey(trx, id), audit(row(id))))));
    expect(await keys()).toEqual(ids);
    expect((await audited()).sort()).toEqual(ids);
    const sizes = await transactions();
    // Three start alone at once; the rest queue and go in groups.
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
    expect(sizes.length).toBeLessThan(20);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 20 });
  });

  it("a change with no audit rows commits its writes", async () => {
    const { writer, keys } = await open(fresh);
    await writer.change(async (trx) => void (await addKey(trx, "quiet")));
    expect(await keys()).toEqual(["quiet"]);
  });
});

describe("deadlocks between groups on postgres", () => {
  it("the change PostgreSQL rolls back as a deadlock victim is run again, and both commit", async () => {
    const { database, writer, keys, audited } = await open(freshPostgres, { changeConcurrency: 2 });
    await database.db.insertInto("admin_api_keys").values(["x", "y"].map((id) => ({ id, name: id, role: "viewer" as const, key_hash: randomBytes(32).toString("hex"), created_at: at, created_by: "tester" }))).execute();
    // Each change locks one row, waits until the other has locked its row, then asks for the other's:
    // a cycle. PostgreSQL breaks it (deadlock_timeout) by failing one statement; that change is
    // rolled back and queued again, and the second run finds no one in its way.
    // Only the first run of each waits for the other (a rerun must not wait for a partner that is done).
    let locked = 0;
    let met = false;
    const bothLocked = async () => {
      if (++locked > 2) return;
      for (let i = 0; locked < 2 && i < 1000; i++) await new Promise((r) => setTimeout(r, 20));
      met ||= locked >= 2;
    };
    let runs = 0;
    const cross = (first: string, second: string) =>
      writer.change(async (trx, audit) => {
        runs += 1;
        await trx.updateTable("admin_api_keys").set({ name: `${first}-1` }).where("id", "=", first).execute();
        await bothLocked();
        await trx.updateTable("admin_api_keys").set({ name: `${second}-2` }).where("id", "=", second).execute();
        audit(row(`${first}${second}`));
      });
    await Promise.all([cross("x", "y"), cross("y", "x")]);
    // Both held their first row at once (else there was no cycle to break), and the victim ran again
    // (on a loaded machine a rerun can itself be retried once more; each still commits exactly once).
    expect(met).toBe(true);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(await keys()).toEqual(["x", "y"]);
    expect((await audited()).sort()).toEqual(["xy", "yx"]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 2 });
  }, 60_000);
});
