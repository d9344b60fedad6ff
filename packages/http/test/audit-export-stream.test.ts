import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "@keyward/db";
import { exportIncompleteMarker } from "../src/routes/audit/export.js";
import { backends, startApi, type Api } from "./harness.js";

// Issue #20: an audit export that fails after its headers ends with a visible marker instead of a
// dropped connection, is logged without values, and its audit row records the true outcome.

/** Fails the export's second page (its second read of audit_log), as a database that goes away would. */
class FailSecondAuditPage implements KyselyPlugin {
  reads = 0;
  armed = false;
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed && node.kind === "SelectQueryNode" && JSON.stringify(node.from).includes('"audit_log"') && ++this.reads === 2) {
      throw new Error(`injected failure reading 2026-01-01 for ${"PLANTED_VALUE_6b1f"}`);
    }
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

const exportRows = async (api: Api) => (await api.kdb.db.selectFrom("audit_log").select(["result", "reason", "request_id"]).where("action", "=", "audit.export").orderBy("seq").execute());

describe.each(backends)("audit export streaming on %s", (backend) => {
  let api: Api;
  const failing = new FailSecondAuditPage();
  beforeAll(async () => {
    api = await startApi({ backend, wrapDb: (db) => db.withPlugin(failing) });
    // More than one export page (1000 rows), so the second page is read after the headers went out.
    const at = new Date("2026-03-01T00:00:00Z");
    for (let i = 0; i < 1005; i++) await appendAudit(api.kdb.db, api.auditKey, { at, actor_type: "service", actor_id: "svc", action: "secret.read", target: `secret:S_${i}`, result: "ok" });
  }, 240_000);
  afterAll(async () => api?.close());

  for (const format of ["csv", "jsonl"] as const) {
    it(`ends a ${format} export that fails mid-stream with the marker, and audits it as an error`, async () => {
      failing.reads = 0;
      failing.armed = true;
      const r = await api.call("GET", `/api/audit/export?format=${format}`);
      failing.armed = false;
      // A whole HTTP response (fetch read it to the end), cut short of the log, with the marker last.
      expect(r.status).toBe(200);
      const lines = r.text.trimEnd().split("\n");
      expect(lines.length).toBe((format === "csv" ? 1 : 0) + 1000 + 1);
      expect(`${lines.at(-1)}\n`).toBe(exportIncompleteMarker(format, r.requestId!));
      const row = (await exportRows(api)).find((e) => e.request_id === r.requestId);
      expect(row).toMatchObject({ result: "error", reason: `${format}: incomplete` });
      // Logged, by name only: the error's message (which here names a value) stays out of the log.
      expect(api.logs()).toContain("audit export failed after the headers were sent");
      expect(api.logs()).not.toContain("PLANTED_VALUE_6b1f");
    });
  }

  it("audits a whole export as ok once it has ended, with no marker", async () => {
    const r = await api.call("GET", "/api/audit/export?format=csv");
    expect(r.status).toBe(200);
    expect(r.text).not.toContain("export incomplete");
    expect(r.text.trimEnd().split("\n").length).toBeGreaterThan(1005);
    expect((await exportRows(api)).find((e) => e.request_id === r.requestId)).toMatchObject({ result: "ok", reason: "csv" });
  });
});
