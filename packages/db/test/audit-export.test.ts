import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { appendAudit, AUDIT_EXPORT_COLUMNS, exportAudit, type AuditExportFilter, type KeywardDatabase } from "../src/index.js";
import { backends } from "./harness.js";

const auditKey = randomBytes(32);
let open: KeywardDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function collect(it: AsyncGenerator<string>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of it) lines.push(line);
  return lines;
}

/** A minimal RFC 4180 parser for the test: quoted cells with "" escapes, commas and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += ch;
  }
  return rows;
}

describe.each(backends)("audit export on %s", (_kind, fresh) => {
  async function seed() {
    const database = (open = await fresh());
    const rows = [
      { at: new Date("2026-01-01T00:00:00Z"), actor_type: "service", actor_id: "billing", action: "secret.read", target: "secret:A", result: "ok" },
      { at: new Date("2026-01-02T00:00:00Z"), actor_type: "admin", actor_id: "owner", action: "secret.value.set", target: "secret:A", result: "ok", user_agent: 'curl/8, "quoted"\nnext', environment: "production" },
      { at: new Date("2026-01-03T00:00:00Z"), actor_type: "service", actor_id: "billing", action: "secret.read", target: "secret:B", result: "refused", reason: "access_pending" },
      { at: new Date("2026-01-04T00:00:00Z"), actor_type: "anonymous", actor_id: "", action: "secret.read", target: "secret:B", result: "refused", user_agent: "=HYPERLINK(\"x\")" },
    ];
    for (const r of rows) await appendAudit(database.db, auditKey, r);
    return database.db;
  }

  it("streams JSON Lines with every column, in seq order, across pages", async () => {
    const db = await seed();
    const lines = await collect(exportAudit(db, { format: "jsonl", pageSize: 3 }));
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.endsWith("\n"))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p.seq)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(parsed[0]!)).toEqual([...AUDIT_EXPORT_COLUMNS]);
    expect(parsed[1]).toMatchObject({ at: "2026-01-02T00:00:00.000Z", user_agent: 'curl/8, "quoted"\nnext', reason: null, environment: "production" });
    // The environment is exported, since the row's hash covers it: an export can be verified offline.
    expect(parsed[0]).toMatchObject({ environment: null });
    expect(parsed[2]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("filters by time range, actor, action and result", async () => {
    const db = await seed();
    const seqs = async (filter: AuditExportFilter) => (await collect(exportAudit(db, { format: "jsonl", filter, pageSize: 1 }))).map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(await seqs({ from: new Date("2026-01-02T00:00:00Z"), to: new Date("2026-01-04T00:00:00Z") })).toEqual([2, 3]);
    expect(await seqs({ actorType: "service", actorId: "billing" })).toEqual([1, 3]);
    expect(await seqs({ action: "secret.read", result: "refused" })).toEqual([3, 4]);
    expect(await seqs({ actorId: "nobody" })).toEqual([]);
  });

  it("writes CSV with a header, quoting, and no spreadsheet formulas", async () => {
    const db = await seed();
    const text = (await collect(exportAudit(db, { format: "csv" }))).join("");
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...AUDIT_EXPORT_COLUMNS]);
    expect(rows).toHaveLength(5);
    const ua = AUDIT_EXPORT_COLUMNS.indexOf("user_agent");
    expect(rows[2]![ua]).toBe('curl/8, "quoted"\nnext');
    expect(rows[4]![ua]).toBe("'=HYPERLINK(\"x\")");
    expect(rows[3]![AUDIT_EXPORT_COLUMNS.indexOf("reason")]).toBe("access_pending");
    expect(rows[1]![AUDIT_EXPORT_COLUMNS.indexOf("reason")]).toBe("");
  });

  it("names bad filters and formats", async () => {
    const db = await seed();
    await expect(collect(exportAudit(db, { format: "jsonl", filter: { from: new Date("nope") } }))).rejects.toThrow(/"from" is not a valid date/);
    await expect(collect(exportAudit(db, { format: "jsonl", filter: { from: new Date("2026-02-01"), to: new Date("2026-01-01") } }))).rejects.toThrow(/"from" must be before "to"/);
    await expect(collect(exportAudit(db, { format: "xml" as never }))).rejects.toThrow(/format must be jsonl or csv, got "xml"/);
  });
});
