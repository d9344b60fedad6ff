import { afterEach, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { appendAudit, auditPartitionBounds, dropArchivedAuditPartition, listAuditPartitions, type Database, type NewAuditRow } from "@keyward/db";
import { publicSink } from "../src/routes/audit/archives.js";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const DAY = 86_400_000;
const row = (at: Date, i: number, action = "secret.read"): NewAuditRow => ({ at, actor_type: "service", actor_id: "service:billing", action, target: `secret:S_${i}`, result: "ok" });
const seqsOf = (items: { seq: number }[]) => items.map((e) => e.seq);

/** Which partition holds each seq. */
async function partitionOf(db: Kysely<Database>): Promise<Map<number, string>> {
  const { rows } = await sql<{ seq: string | number; part: string }>`select seq, tableoid::regclass::text as part from audit_log order by seq`.execute(db);
  return new Map(rows.map((r) => [Number(r.seq), r.part]));
}

/** Archives a partition (as the retention job does, minus writing the file) and drops it; its audit row is stamped `at`. */
async function archiveAndDrop(api: Api, name: string, at: Date, archiveName: string | null, sink: string | null): Promise<void> {
  const bounds = await auditPartitionBounds(api.kdb.db, name);
  const archive = bounds
    ? { name, archiveName, sink, rows: bounds.rows, firstSeq: bounds.first.seq, lastSeq: bounds.last.seq, beforeHash: bounds.first.prevHash, afterHash: bounds.last.hash }
    : { name, archiveName: null, sink: null, rows: 0, firstSeq: null, lastSeq: null, beforeHash: null, afterHash: null };
  expect(await dropArchivedAuditPartition(api.kdb.db, api.auditKey, { archive, at, actorType: "system", actor: "keyward" })).toEqual({ dropped: true });
}

describe.each(backends)("GET /api/audit/archives on %s", (backend) => {
  let api: Api | undefined;
  afterEach(async () => api?.close());

  it("lists no archives, and a null hotFrom, while every row is still in the database", async () => {
    api = await startApi({ backend });
    await appendAudit(api.kdb.db, api.auditKey, row(new Date("2026-03-01T00:00:00Z"), 0));
    const r = await api.call("GET", "/api/audit/archives");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ hotFrom: null, archives: [], droppedEmpty: 0 });
  });

  it("lists the archived partitions newest first, counts the empty ones, and says where the hot window starts", async () => {
    api = await startApi({ backend });
    const [initial, first] = await listAuditPartitions(api.kdb.db);
    const boundary = new Date(initial!.ends_at).getTime();
    expect(new Date(first!.starts_at!).getTime()).toBe(boundary);
    // Three old rows in the first partition, two in the next.
    for (let i = 0; i < 3; i++) await appendAudit(api.kdb.db, api.auditKey, row(new Date(`2026-03-01T00:0${i}:00Z`), i));
    for (let i = 3; i < 5; i++) await appendAudit(api.kdb.db, api.auditKey, row(new Date(boundary + DAY + i * 60_000), i));

    // The first partition's drop is audited in the next one; the next one's 15 days on, past an empty partition.
    await archiveAndDrop(api, initial!.name, new Date(boundary + 2 * DAY), "audit-000001-000003.jsonl.gz", "directory /var/lib/keyward/audit-archive");
    await archiveAndDrop(api, first!.name, new Date(boundary + 15 * DAY), "audit-000004-000006.jsonl.gz", "s3://AKIDEXAMPLE:wJalrXUtnFEMI@minio.internal:9000/keyward-audit/prod?X-Amz-Signature=abc123");
    const hot = (await listAuditPartitions(api.kdb.db)).filter((p) => p.state === "hot");
    const empty = hot[0]!;
    expect(await auditPartitionBounds(api.kdb.db, empty.name)).toBeNull();
    await archiveAndDrop(api, empty.name, new Date(boundary + 15 * DAY), null, null);

    const r = await api.call("GET", "/api/audit/archives", { token: api.tokens.auditor });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      hotFrom: new Date(hot[1]!.starts_at!).toISOString(),
      archives: [
        { partition: first!.name, from: new Date(boundary).toISOString(), to: new Date(first!.ends_at).toISOString(), firstSeq: 4, lastSeq: 6, rows: 3, archive: "audit-000004-000006.jsonl.gz", sink: "s3://minio.internal:9000/keyward-audit/prod", archivedAt: new Date(boundary + 15 * DAY).toISOString() },
        { partition: "audit_log_initial", from: null, to: new Date(boundary).toISOString(), firstSeq: 1, lastSeq: 3, rows: 3, archive: "audit-000001-000003.jsonl.gz", sink: "directory /var/lib/keyward/audit-archive", archivedAt: new Date(boundary + 2 * DAY).toISOString() },
      ],
      droppedEmpty: 1,
    });
    // The hot window starts where the newest dropped partition ended.
    expect(r.json.hotFrom).toBe(new Date(empty.ends_at).toISOString());
    expect(r.text).not.toContain("wJalr");
    expect(r.text).not.toContain("abc123");
  });

  it("answers 403 to the roles that may not read the audit log, and 401 without a token", async () => {
    api = await startApi({ backend });
    for (const role of ["owner", "admin", "auditor"] as const) expect((await api.call("GET", "/api/audit/archives", { token: api.tokens[role] })).status).toBe(200);
    for (const role of ["operator", "viewer"] as const) expectProblem(await api.call("GET", "/api/audit/archives", { token: api.tokens[role] }), 403);
    expectProblem(await api.call("GET", "/api/audit/archives", { token: null }), 401);
  });

  it("answers 500, naming the partition in the log only, when the registry marks one archived without saying where", async () => {
    api = await startApi({ backend });
    const [initial] = await listAuditPartitions(api.kdb.db);
    await appendAudit(api.kdb.db, api.auditKey, row(new Date("2026-03-01T00:00:00Z"), 0));
    await archiveAndDrop(api, initial!.name, new Date(new Date(initial!.ends_at).getTime() + DAY), "audit-1-1.jsonl.gz", "directory /tmp/a");
    await api.kdb.db.updateTable("audit_partitions").set({ archive_name: null }).where("name", "=", initial!.name).execute();
    const r = await api.call("GET", "/api/audit/archives");
    expectProblem(r, 500);
    expect(r.text).not.toContain(initial!.name);
    expect(api.logs()).toMatch(/audit partition audit_log_initial is marked archived but its registry entry does not say where its rows went/);
  });
});

describe("search and export across partitions", () => {
  let api: Api | undefined;
  afterEach(async () => api?.close());

  it.each(backends)("list, filters, pages, export and verify span the hot partitions on %s", async (backend) => {
    api = await startApi({ backend });
    const [initial] = await listAuditPartitions(api.kdb.db);
    const boundary = new Date(initial!.ends_at).getTime();
    // Five rows in the past, five after the first partition's end.
    const ats = [
      ...Array.from({ length: 5 }, (_, i) => new Date(Date.parse("2026-03-01T00:00:00Z") + i * 60_000)),
      ...Array.from({ length: 5 }, (_, i) => new Date(boundary + 3_600_000 + i * 60_000)),
    ];
    for (const [i, at] of ats.entries()) await appendAudit(api.kdb.db, api.auditKey, row(at, i, i % 2 ? "secret.read" : "token.register"));
    const where = await partitionOf(api.kdb.db);
    expect(new Set([1, 2, 3, 4, 5].map((s) => where.get(s)))).toEqual(new Set(["audit_log_initial"]));
    const second = where.get(6)!;
    expect(second).not.toBe("audit_log_initial");
    expect(new Set([6, 7, 8, 9, 10].map((s) => where.get(s)))).toEqual(new Set([second]));

    // Keyset pages of 3 cross the boundary without losing or repeating a row.
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const r: { json: { items: { seq: number }[]; nextCursor: string | null } } = await api.call("GET", `/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { token: api.tokens.auditor });
      seqs.push(...seqsOf(r.json.items));
      cursor = r.json.nextCursor;
    } while (cursor);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // A time window that starts in one partition and ends in the other.
    const from = "2026-03-01T00:02:30.000Z";
    const to = new Date(boundary + 3_600_000 + 2 * 60_000 + 30_000).toISOString();
    expect(seqsOf((await api.call("GET", `/api/audit?from=${from}&to=${to}`)).json.items)).toEqual([4, 5, 6, 7, 8]);
    expect(seqsOf((await api.call("GET", `/api/audit?action=secret.read&from=${from}&to=${to}`)).json.items)).toEqual([4, 6, 8]);
    // A window inside the newer partition only.
    expect(seqsOf((await api.call("GET", `/api/audit?from=${new Date(boundary).toISOString()}`)).json.items)).toEqual([6, 7, 8, 9, 10]);

    const jsonl = await api.call("GET", `/api/audit/export?format=jsonl&from=${from}&to=${to}`);
    expect(jsonl.status).toBe(200);
    expect(jsonl.text.trim().split("\n").map((l) => JSON.parse(l).seq)).toEqual([4, 5, 6, 7, 8]);
    const csv = await api.call("GET", `/api/audit/export?format=csv&action=token.register&from=${from}&to=${to}`);
    expect(csv.text.trim().split("\n").slice(1).map((l) => Number(l.split(",")[0]))).toEqual([5, 7]);

    const verified = await api.call("GET", "/api/audit/verify");
    expect(verified.json).toMatchObject({ ok: true, firstBadSeq: null });
    expect(verified.json.rows).toBeGreaterThanOrEqual(10);
  });
});

describe("publicSink", () => {
  it("keeps a plain description and strips a URL's user info and query string", () => {
    expect(publicSink("directory /var/lib/keyward/audit-archive")).toBe("directory /var/lib/keyward/audit-archive");
    expect(publicSink("s3://bucket/prefix")).toBe("s3://bucket/prefix");
    expect(publicSink("s3://key:secret@host:9000/bucket/prefix")).toBe("s3://host:9000/bucket/prefix");
    expect(publicSink("https://host/bucket?X-Amz-Credential=AKID&X-Amz-Signature=s")).toBe("https://host/bucket");
  });
});
