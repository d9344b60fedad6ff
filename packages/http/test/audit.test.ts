import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "@keyward/db";
import { expectProblem, startApi, type Api } from "./harness.js";

describe("audit routes", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
    const base = Date.parse("2026-03-01T00:00:00Z");
    for (let i = 0; i < 25; i++) {
      await appendAudit(api.kdb.db, api.auditKey, {
        at: new Date(base + i * 60_000),
        actor_type: "service",
        actor_id: i % 5 === 0 ? "service:billing" : "service:identity",
        action: i % 2 ? "secret.read" : "token.register",
        target: i === 7 ? 'secret:"QUOTED",NAME' : `secret:S_${i}`,
        result: i === 24 ? "refused" : "ok",
        reason: i === 3 ? "=HYPERLINK(1)" : null,
      });
    }
  });
  afterAll(async () => api?.close());

  it("lists with filters and keyset pages", async () => {
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const r: { json: { items: { seq: number }[]; nextCursor: string | null } } = await api.call("GET", `/api/audit?limit=10${cursor ? `&cursor=${cursor}` : ""}`);
      seqs.push(...r.json.items.map((e) => e.seq));
      cursor = r.json.nextCursor;
    } while (cursor);
    expect(seqs.slice(0, 25)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await api.call("GET", "/api/audit?actor=service:billing")).json.items.map((e: { target: string }) => e.target)).toEqual(["secret:S_0", "secret:S_5", "secret:S_10", "secret:S_15", "secret:S_20"]);
    expect((await api.call("GET", "/api/audit?result=refused")).json.items.map((e: { seq: number }) => e.seq)).toEqual([25]);
    const window = await api.call("GET", "/api/audit?action=secret.read&from=2026-03-01T00:02:00Z&to=2026-03-01T00:06:00Z");
    expect(window.json.items.map((e: { seq: number }) => e.seq)).toEqual([4, 6]);
    expectProblem(await api.call("GET", "/api/audit?from=yesterday"), 400, "from");
    expectProblem(await api.call("GET", "/api/audit?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"), 400, "from");
  });

  it("exports JSON Lines and CSV with the same filters", async () => {
    const jsonl = await api.call("GET", "/api/audit/export?format=jsonl&actor=service:billing");
    expect(jsonl.status).toBe(200);
    expect(jsonl.type).toMatch(/^application\/x-ndjson/);
    expect(jsonl.headers.get("content-disposition")).toContain("keyward-audit.jsonl");
    const rows = jsonl.text.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.map((r) => r.seq)).toEqual([1, 6, 11, 16, 21]);
    expect(rows[0]).toMatchObject({ actor_id: "service:billing", action: "token.register", prev_hash: "0".repeat(64) });

    const csv = await api.call("GET", "/api/audit/export?format=csv&to=2026-03-01T00:08:00Z");
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("seq,at,actor_type,actor_id,action,target,result,reason,ip,user_agent,request_id,count,environment,prev_hash,hash");
    expect(lines).toHaveLength(1 + 8);
    // Quotes and commas are escaped; a formula-looking cell is neutralised.
    expect(lines[8]).toContain('"secret:""QUOTED"",NAME"');
    expect(lines[4]).toContain("'=HYPERLINK(1)");
    expectProblem(await api.call("GET", "/api/audit/export"), 400, "format");
    expectProblem(await api.call("GET", "/api/audit/export?format=xml"), 400, "format");
    expectProblem(await api.call("GET", "/api/audit/export?format=csv&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"), 400, "from");
    // Each export is audited (the refused one never started).
    expect((await api.kdb.db.selectFrom("audit_log").select("reason").where("action", "=", "audit.export").execute()).map((r) => r.reason)).toEqual(["jsonl", "csv"]);
  });

  it("verifies the chain and names the first bad row after tampering", async () => {
    const ok = await api.call("GET", "/api/audit/verify");
    expect(ok.json).toMatchObject({ ok: true, firstBadSeq: null });
    expect(ok.json.rows).toBeGreaterThanOrEqual(25);
    await api.kdb.db.updateTable("audit_log").set({ target: "secret:EDITED" }).where("seq", "=", 12).execute();
    expect((await api.call("GET", "/api/audit/verify")).json).toMatchObject({ ok: false, rows: null, firstBadSeq: 12, problem: expect.stringContaining("hash") });
    // The finding is recorded and announced, appended after the head even though the chain is broken.
    const failed = await api.kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).where("action", "=", "audit.verify").execute();
    expect(failed).toEqual([{ action: "audit.verify", result: "failed", reason: expect.stringMatching(/^seq 12: .*hash/) }]);
    const events = await api.kdb.db.selectFrom("outbox").select(["type", "subject", "link", "data"]).where("type", "=", "audit.verification_failed").execute();
    expect(events).toEqual([{ type: "audit.verification_failed", subject: "audit log", link: "/admin/audit", data: expect.objectContaining({ firstBadSeq: 12 }) }]);
  });
});
