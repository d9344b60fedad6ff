import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { auditRowHash, createAuditWriter, verifyAuditChain, type NewAuditRow } from "../src/index.js";
import { appendAuditAfter, appendAuditBatch, readAuditHead } from "../src/queries/audit/append-batch.js";
import { backends } from "./harness.js";

// Migration 0600: audit rows travel to keyward_audit_append_rows as one JSON array.
const auditKey = randomBytes(32);
const at = new Date("2026-07-08T09:10:11.123Z");
const toClose: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
});

/** Text that JSON, a PostgreSQL array literal or a CSV would each have to escape. */
const AWKWARD = ['quote " and \\ backslash', "new\nline\ttab", "{braces},commas", "NULL", "", "ünïcödé ✓ 🔑 𝒳", "'single' $$dollar$$", "x".repeat(4000)];

describe.each(backends)("the audit append on %s", (_kind, fresh) => {
  it("stores every field exactly as given, nulls and counts included, and the chain verifies", async () => {
    const database = await fresh();
    toClose.push(database);
    const rows: NewAuditRow[] = AWKWARD.map((text, i) => ({
      at: new Date(at.getTime() + i),
      actor_type: "service",
      actor_id: text,
      action: "secret.read",
      target: `secret:${text}`,
      result: "ok",
      reason: i % 2 ? text : null,
      ip: i % 3 ? `10.0.0.${i}` : null,
      user_agent: text,
      request_id: null,
      ...(i % 2 ? { count: i + 1 } : {}),
      environment: i % 4 ? "production" : null,
    }));
    const head = await appendAuditBatch(database.db, auditKey, undefined, rows);
    expect(head?.seq).toBe(rows.length);
    const stored = await database.db.selectFrom("audit_log").select(["seq", "at", "actor_id", "target", "reason", "ip", "user_agent", "request_id", "count", "environment"]).orderBy("seq").execute();
    expect(stored.map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() }))).toEqual(
      rows.map((r, i) => ({ seq: i + 1, at: (r.at as Date).toISOString(), actor_id: r.actor_id, target: r.target, reason: r.reason, ip: r.ip, user_agent: r.user_agent, request_id: null, count: r.count ?? null, environment: r.environment })),
    );
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: rows.length });
  });

  it("refuses a batch chained after a stale head, writing nothing, and reports the real head", async () => {
    const database = await fresh();
    toClose.push(database);
    const row = (i: number): NewAuditRow => ({ at, actor_type: "service", actor_id: `svc-${i}`, action: "secret.read", target: "secret:A", result: "ok" });
    const first = await appendAuditAfter(database.db, auditKey, await readAuditHead(database.db), [row(1), row(2)]);
    expect(first.appended).toBe(true);
    const stale = await appendAuditAfter(database.db, auditKey, { seq: 0, hash: "0".repeat(64), at: null }, [row(3)]);
    expect(stale).toEqual({ appended: false, head: first.head });
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 2 });
  });

  it("chains with a server of the previous release, which still appends through keyward_audit_append_after", async () => {
    const database = await fresh();
    toClose.push(database);
    const writer = createAuditWriter({ db: database.db, auditKey });
    toClose.push(writer);
    await writer.append({ at, actor_type: "service", actor_id: "new", action: "secret.read", target: "secret:A", result: "ok", environment: "production" });
    // The previous release's append: the columns as fifteen arrays, after the head it read.
    const head = await readAuditHead(database.db);
    const old: NewAuditRow = { at: new Date(at.getTime() + 1), actor_type: "admin", actor_id: "old", action: "secret.value.set", target: "secret:A", result: "ok", count: 2, environment: "production" };
    const seq = head.seq + 1;
    const hash = auditRowHash(auditKey, head.hash, seq, old);
    const { rows } = await sql<{ appended: boolean }>`select * from keyward_audit_append_after(${head.seq}, ${head.hash},
      ${[seq]}::bigint[], ${[(old.at as Date).toISOString()]}::timestamptz[], ${["admin"]}::text[], ${["old"]}::text[], ${["secret.value.set"]}::text[], ${["secret:A"]}::text[],
      ${["ok"]}::text[], ${[null]}::text[], ${[null]}::text[], ${[null]}::text[], ${[null]}::text[], ${[2]}::integer[], ${["production"]}::text[], ${[head.hash]}::text[], ${[hash]}::text[])`.execute(database.db);
    expect(rows[0]!.appended).toBe(true);
    // This server's writer finds the head moved, chains after the old server's row, and all verifies.
    await writer.append({ at: new Date(at.getTime() + 2), actor_type: "service", actor_id: "new", action: "secret.read", target: "secret:A", result: "ok" });
    const actors = await database.db.selectFrom("audit_log").select("actor_id").orderBy("seq").execute();
    expect(actors.map((r) => r.actor_id)).toEqual(["new", "old", "new"]);
    expect(await verifyAuditChain(database.db, auditKey)).toEqual({ ok: true, rows: 3 });
  });
});
