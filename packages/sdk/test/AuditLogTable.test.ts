import { describe, expect, it } from "vitest";
import { AuditLogTable } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const VALUE = "audit_" + Math.random().toString(36).slice(2);

describe("AuditLogTable against the real admin API", () => {
  it("loading: shows statuses for the rows and the chain at first", () => {
    const { wrapper } = mountAdmin(api, AuditLogTable);
    expect(wrapper.get('[data-chain="pending"]').text()).toBe("Verifying the chain…");
    expect(wrapper.text()).toContain("Loading the audit log…");
    wrapper.unmount();
  });

  it("empty: no rows yet, and an intact (empty) chain", async () => {
    const { wrapper } = mountAdmin(api, AuditLogTable);
    await until(() => wrapper.text().includes("No audit rows match.") && wrapper.find('[data-chain="ok"]').exists(), "empty");
    expect(wrapper.get('[data-chain="ok"]').text()).toBe("Chain verified: 0 rows intact.");
    wrapper.unmount();
  });

  it("error: shows the server's problem for rows and chain", async () => {
    const { wrapper } = mountAdmin(api, AuditLogTable, { token: unknownToken() });
    await until(() => wrapper.find('[data-chain="error"]').exists() && wrapper.text().includes("Could not load the audit log:"), "errors");
    expect(wrapper.get('[data-chain="error"]').text()).toMatch(/^Could not verify the chain: .*(unknown|revoked)/);
    wrapper.unmount();
  });

  it("filled: lists rows, filters them, exports JSON Lines and CSV, and reports a broken chain", async () => {
    await adminCall(api, "POST", "/api/secrets", { name: "API_KEY", value: VALUE });
    await adminCall(api, "PUT", "/api/secrets/API_KEY/value", { value: VALUE + "2" });
    await adminCall(api, "POST", "/api/secrets", { name: "OTHER_KEY" });

    const { wrapper } = mountAdmin(api, AuditLogTable, { props: { autoDownload: false } });
    await until(() => wrapper.findAll("tbody tr").length >= 3 && wrapper.find('[data-chain="ok"]').exists(), "rows");
    const total = wrapper.findAll("tbody tr").length;
    expect(wrapper.get('[data-chain="ok"]').text()).toBe(`Chain verified: ${total} rows intact.`);
    expect(wrapper.html()).not.toContain(VALUE);
    // Actors and targets (a 128-character service name, a key id) wrap in their cells; actions do not.
    expect(wrapper.get("tbody tr [data-actor]").classes()).toContain("kw-wrap");
    expect(wrapper.get("tbody tr [data-target]").classes()).toContain("kw-wrap");
    const actions = wrapper.findAll("tbody tr").map((r) => r.attributes("data-action"));
    const setAction = actions.find((a) => a?.includes("value"))!;
    expect(setAction).toBeDefined();

    // Filters apply on submit only; each filter input is labelled.
    for (const input of wrapper.findAll(".kw-filters input")) expect(wrapper.find(`label[for="${input.attributes("id")}"]`).exists()).toBe(true);
    await wrapper.get('input[name="action"]').setValue(setAction);
    expect(wrapper.findAll("tbody tr")).toHaveLength(total);
    await wrapper.get(".kw-filters").trigger("submit");
    await until(() => wrapper.findAll("tbody tr").length < total, "filtered");
    expect(new Set(wrapper.findAll("tbody tr").map((r) => r.attributes("data-action")))).toEqual(new Set([setAction]));

    // Export with the same filters, in both formats.
    await wrapper.get('[data-export="jsonl"]').trigger("click");
    await until(() => (wrapper.emitted("exported") ?? []).length === 1, "jsonl export");
    const jsonl = (wrapper.emitted("exported")![0]![0] as { name: string; text: string });
    expect(jsonl.name).toBe("keyward-audit.jsonl");
    const lines = jsonl.text.trim().split("\n").map((l) => JSON.parse(l) as { action: string });
    expect(lines.length).toBe(wrapper.findAll("tbody tr").length);
    expect(lines.every((l) => l.action === setAction)).toBe(true);
    await wrapper.get('[data-export="csv"]').trigger("click");
    await until(() => (wrapper.emitted("exported") ?? []).length === 2, "csv export");
    const csv = (wrapper.emitted("exported")![1]![0] as { name: string; text: string });
    expect(csv.name).toBe("keyward-audit.csv");
    expect(csv.text.trim().split("\n")).toHaveLength(lines.length + 1);
    expect(jsonl.text + csv.text).not.toContain(VALUE);
    wrapper.unmount();

    // Someone edits a row in the database: the chain status names the first bad row.
    await api.kdb.db.updateTable("audit_log").set({ target: "secret:FORGED" }).where("seq", "=", 2).execute();
    const after = mountAdmin(api, AuditLogTable).wrapper;
    await until(() => after.find('[data-chain="broken"]').exists(), "broken chain");
    expect(after.get('[data-chain="broken"]').text()).toMatch(/^Chain broken at row 2/);
    after.unmount();
  });
});
