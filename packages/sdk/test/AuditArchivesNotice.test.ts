import { describe, expect, it } from "vitest";
import { appendAudit, auditPartitionBounds, dropArchivedAuditPartition, listAuditPartitions } from "@keyward/db";
import { AuditArchivesNotice, AuditLogTable } from "../src/index.js";
import { mountAdmin, unknownToken, until, useAdminApi, type AdminApi } from "./harness.js";

const DAY = 86_400_000;

/** Archives a partition as the retention job would (minus the file) and drops it; its audit row is stamped `at`. */
async function archiveAndDrop(api: AdminApi, name: string, at: Date, archiveName: string | null, sink: string | null): Promise<void> {
  const bounds = await auditPartitionBounds(api.kdb.db, name);
  const archive = bounds
    ? { name, archiveName, sink, rows: bounds.rows, firstSeq: bounds.first.seq, lastSeq: bounds.last.seq, beforeHash: bounds.first.prevHash, afterHash: bounds.last.hash }
    : { name, archiveName: null, sink: null, rows: 0, firstSeq: null, lastSeq: null, beforeHash: null, afterHash: null };
  expect(await dropArchivedAuditPartition(api.kdb.db, api.deps.auditKey, { archive, at, actorType: "system", actor: "keyward" })).toEqual({ dropped: true });
}

const api = useAdminApi();

describe("AuditArchivesNotice against the real admin API", () => {
  it("error: says why it cannot tell where older rows are", async () => {
    const { wrapper } = mountAdmin(api, AuditArchivesNotice, { token: unknownToken() });
    await until(() => wrapper.find('[data-archives="error"]').exists(), "error");
    expect(wrapper.get('[data-archives="error"]').text()).toMatch(/^Could not tell where older audit rows are: .*(unknown|revoked)/);
    expect(wrapper.get('[data-archives="error"]').attributes("role")).toBe("alert");
    wrapper.unmount();
  });

  it("none archived: a quiet line that every row is here, and no list", async () => {
    const { wrapper } = mountAdmin(api, AuditArchivesNotice);
    await until(() => wrapper.find("[data-archives]").exists(), "answer");
    expect(wrapper.get('[data-archives="none"]').text()).toBe("Every row since the log began is here.");
    expect(wrapper.find("table").exists()).toBe(false);
    wrapper.unmount();
  });

  it("archived: says which rows, how many, where, and how to verify, with the archives newest first; shown in the audit table too", async () => {
    const [initial, first] = await listAuditPartitions(api.kdb.db);
    const boundary = new Date(initial!.ends_at).getTime();
    for (let i = 0; i < 3; i++) await appendAudit(api.kdb.db, api.deps.auditKey, { at: new Date(`2026-03-01T00:0${i}:00Z`), actor_type: "service", actor_id: "tok", action: "secret.read", target: "secret:A", result: "ok" });
    await archiveAndDrop(api, initial!.name, new Date(boundary + DAY), "audit-000001-000003.jsonl.gz", "directory /var/lib/keyward/audit-archive");
    await archiveAndDrop(api, first!.name, new Date(boundary + 15 * DAY), "audit-000004-000004.jsonl.gz", "s3://keyward-audit/prod");
    const empty = (await listAuditPartitions(api.kdb.db)).find((p) => p.state === "hot")!;
    await archiveAndDrop(api, empty.name, new Date(boundary + 15 * DAY), null, null);

    const { wrapper } = mountAdmin(api, AuditArchivesNotice);
    await until(() => wrapper.find("[data-archives]").exists(), "archives");
    const notice = wrapper.get('[data-archives="some"]');
    const hotFrom = new Date(empty.ends_at).toLocaleString();
    expect(notice.get(".kw-archives-summary").text()).toBe(`Archived Rows before ${hotFrom} were archived: 2 archives, 4 rows, in s3://keyward-audit/prod and directory /var/lib/keyward/audit-archive.`);
    expect(notice.get(".kw-badge").attributes("data-tone")).toBe("info");
    expect(notice.text()).toContain("Check an archive offline with keyward-service audit verify-archive FILE…");
    expect(notice.text()).toContain("The table, the filters and the export cover only the rows still in the database.");
    expect(notice.text()).toContain("1 empty partition was dropped with nothing to archive.");
    expect(notice.get("summary").text()).toBe("Show the 2 archives");
    const rows = notice.findAll("tbody tr");
    expect(rows.map((r) => r.attributes("data-partition"))).toEqual([first!.name, "audit_log_initial"]);
    expect(rows[0]!.findAll("td").map((c) => c.text())).toEqual([
      first!.name,
      `${new Date(boundary).toLocaleString()} – ${new Date(first!.ends_at).toLocaleString()}`,
      "1",
      "4–4",
      "audit-000004-000004.jsonl.gz (s3://keyward-audit/prod)",
    ]);
    expect(rows[1]!.findAll("td")[1]!.text()).toBe(`the start of the log – ${new Date(boundary).toLocaleString()}`);
    expect(rows[1]!.findAll("td")[2]!.text()).toBe("3");
    wrapper.unmount();

    // The audit table shows it above its filters and rows.
    const table = mountAdmin(api, AuditLogTable, { props: { autoDownload: false } }).wrapper;
    await until(() => table.find('[data-archives="some"]').exists() && table.findAll("tbody tr").length > 2, "table with archives");
    const html = table.html();
    expect(html.indexOf('data-archives="some"')).toBeLessThan(html.indexOf("kw-filters"));
    table.unmount();
  });
});
