import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey, createChangeRequest, getEnvironmentByName, readSecretValue } from "@keyward/db";
import { ChangeRequestsTable, KwToasts } from "../src/index.js";
import { timeUntil } from "../src/composables/format.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const VALUE = "cr_table_" + randomBytes(12).toString("hex");

// A host page: the table and the app's toasts.
const Page = defineComponent({ props: { environment: { type: String, required: false } }, setup: (props) => () => [h(ChangeRequestsTable, { environment: props.environment }), h(KwToasts)] });

async function keyOf(name: string, role: "owner" | "admin" | "viewer", owner?: string) {
  const token = generateToken(ADMIN_TOKEN_PREFIX);
  await createAdminKey(api.kdb.db, { name, role, keyHash: hashToken(token), actor: "system", at: new Date(), ...(owner ? { owner } : {}) });
  return token;
}

describe("ChangeRequestsTable against the real admin API", () => {
  it("loading, then empty with a hint; error shows the server's problem", async () => {
    const { wrapper } = mountAdmin(api, ChangeRequestsTable);
    expect(wrapper.get('[role="status"]').text()).toBe("Loading change requests…");
    await until(() => wrapper.find(".kw-empty").exists(), "empty");
    expect(wrapper.get(".kw-empty-title").text()).toBe("No change requests match.");
    expect(wrapper.get(".kw-empty-hint").text()).toMatch(/^In a protected environment/);
    expect((wrapper.get('[data-filter="status"]').element as HTMLSelectElement).value).toBe("pending");
    wrapper.unmount();

    // An environment that is not protected never holds a change: the empty state says so, and where to look.
    const dev = mountAdmin(api, ChangeRequestsTable, { props: { environment: "development" } });
    await until(() => dev.wrapper.find(".kw-empty").exists() && dev.wrapper.get(".kw-empty-hint").text().startsWith("development"), "the development hint");
    expect(dev.wrapper.get(".kw-empty-hint").text()).toBe("development is not protected: a change there applies at once and never waits here. Pick production or all environments above to see what waits for a second person.");
    dev.wrapper.unmount();
    const prod = mountAdmin(api, ChangeRequestsTable, { props: { environment: "production" } });
    await until(() => prod.wrapper.find(".kw-empty").exists(), "production empty");
    expect(prod.wrapper.get(".kw-empty-hint").text()).toMatch(/^In a protected environment/);
    prod.wrapper.unmount();

    const bad = mountAdmin(api, ChangeRequestsTable, { token: unknownToken() });
    await until(() => bad.wrapper.find('[role="alert"]').exists(), "error");
    expect(bad.wrapper.get('[role="alert"]').text()).toMatch(/^Could not load change requests: .*(unknown|revoked)/);
    bad.wrapper.unmount();
  });

  it("the requester sees 'waiting for another person'; a second person approves it (applied) or rejects; the value is never on the page", async () => {
    const bob = await keyOf("bob's key", "admin", "bob");
    await adminCall(api, "POST", "/api/secrets?environment=production", { name: "TABLE_CR" });
    const held = await adminCall<{ id: string }>(api, "PUT", "/api/secrets/TABLE_CR/value?environment=production", { value: VALUE });
    const other = await adminCall<{ id: string }>(api, "POST", "/api/secrets/TABLE_CR/disable?environment=production");

    // The requester (the owner key): no Approve, only Withdraw, and the row says it waits.
    const self = mountAdmin(api, Page, { props: { environment: "production" } });
    await until(() => self.wrapper.findAll("tbody tr [data-waiting]").length === 2, "two pending rows, both waiting");
    const mineRow = self.wrapper.get(`tr[data-id="${held.id}"]`);
    expect(mineRow.get("th").text()).toBe("set value");
    expect(mineRow.get("[data-target]").text()).toBe("TABLE_CR");
    expect(mineRow.get("[data-requested-by]").text()).toBe("you");
    expect(mineRow.get("[data-approvals]").text()).toContain("0 / 1");
    expect(mineRow.get("[data-approvals] .kw-sr").text()).toBe("0 of 1 approvals");
    const badge = mineRow.get(".kw-badge");
    expect([badge.text(), badge.attributes("data-tone")]).toEqual(["pending", "pending"]);
    expect(mineRow.get("[data-expires]").text()).toMatch(/^in (23|24) h$/);
    expect(mineRow.get("[data-waiting]").text()).toBe("waiting for another person");
    expect(mineRow.find('[data-action="approve"]').exists()).toBe(false);
    expect(mineRow.get('[data-action="reject"] button').text()).toBe("Withdraw");
    expect(self.wrapper.get(`tr[data-id="${other.id}"] th`).text()).toBe("disable secret");
    self.wrapper.unmount();

    // Bob approves through the dialog: the value is applied and the row leaves the pending list.
    const second = mountAdmin(api, Page, { props: { environment: "production" }, token: bob });
    await until(() => second.wrapper.findAll('tbody tr [data-action="approve"]').length === 2, "bob may approve both");
    const row = () => second.wrapper.get(`tr[data-id="${held.id}"]`);
    await row().get('[data-action="approve"] button').trigger("click");
    expect(row().get('[role="dialog"]').attributes("aria-label")).toBe("Approve “set value” of TABLE_CR in production? The last approval needed applies it at once.");
    await row().get('[data-action="cancel"]').trigger("click");
    expect((await adminCall<{ status: string }>(api, "GET", `/api/change-requests/${held.id}`)).status).toBe("pending");
    await row().get('[data-action="approve"] button').trigger("click");
    await row().get('[data-action="confirm"]').trigger("click");
    await until(() => !second.wrapper.find(`tr[data-id="${held.id}"]`).exists(), "applied row leaves the pending list");
    expect(second.wrapper.get('[data-toast="ok"]').text()).toContain("Applied “set value” of TABLE_CR.");
    const production = (await getEnvironmentByName(api.kdb.db, "production"))!;
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: production.id, name: "TABLE_CR" })).toMatchObject({ value: VALUE });

    // Bob rejects the other one.
    await second.wrapper.get(`tr[data-id="${other.id}"] [data-action="reject"] button`).trigger("click");
    await second.wrapper.get(`tr[data-id="${other.id}"] [data-action="confirm"]`).trigger("click");
    await until(() => second.wrapper.find(".kw-empty").exists(), "nothing pending");
    expect((await adminCall<{ status: string }>(api, "GET", `/api/change-requests/${other.id}`)).status).toBe("rejected");

    // "all" shows the decided ones with their badges in words.
    await second.wrapper.get('[data-filter="status"]').setValue("");
    await until(() => second.wrapper.findAll("tbody tr").length === 2, "decided rows");
    expect(second.wrapper.get(`tr[data-id="${held.id}"] .kw-badge`).text()).toBe("applied");
    expect(second.wrapper.get(`tr[data-id="${held.id}"] .kw-badge`).attributes("data-tone")).toBe("ok");
    expect(second.wrapper.get(`tr[data-id="${held.id}"] [data-approvals]`).text()).toContain("1 / 1");
    expect(second.wrapper.get(`tr[data-id="${other.id}"] .kw-badge`).text()).toBe("rejected");
    expect(second.wrapper.get(`tr[data-id="${other.id}"] [data-expires]`).text()).toMatch(/^decided /);
    expect(second.wrapper.find('[data-action="approve"]').exists()).toBe(false);
    expect(second.wrapper.html()).not.toContain(VALUE);
    second.wrapper.unmount();
  });

  it("another key of the requester's owner sees 'waiting for another person', not Approve; a refused approval shows the API's reason as a toast", async () => {
    const carol1 = await keyOf("carol laptop", "admin", "carol");
    const carol2 = await keyOf("carol ci", "admin", "carol");
    const frank = await keyOf("frank", "admin", "frank");
    await adminCall(api, "POST", "/api/secrets?environment=production", { name: "SAME_OWNER" });
    const res = await fetch(`${api.base}/api/secrets/SAME_OWNER/disable?environment=production`, { method: "POST", headers: { authorization: `Bearer ${carol1}` } });
    expect(res.status).toBe(202);
    const held = (await res.json()) as { id: string };
    const { wrapper } = mountAdmin(api, Page, { props: { environment: "production" }, token: carol2 });
    await until(() => wrapper.find(`tr[data-id="${held.id}"] [data-waiting]`).exists(), "row waiting");
    const row = wrapper.get(`tr[data-id="${held.id}"]`);
    expect(row.get("[data-waiting]").text()).toBe("waiting for another person");
    expect(row.find('[data-action="approve"]').exists()).toBe(false);
    expect(row.get('[data-action="reject"] button').text()).toBe("Withdraw");
    wrapper.unmount();

    // Frank may approve, but the request is withdrawn meanwhile: the API's refusal is the toast.
    const other = mountAdmin(api, Page, { props: { environment: "production" }, token: frank });
    await until(() => other.wrapper.find(`tr[data-id="${held.id}"] [data-action="approve"]`).exists(), "row with approve");
    await adminCall(api, "POST", `/api/change-requests/${held.id}/reject`);
    await other.wrapper.get(`tr[data-id="${held.id}"] [data-action="approve"] button`).trigger("click");
    await other.wrapper.get(`tr[data-id="${held.id}"] [data-action="confirm"]`).trigger("click");
    await until(() => other.wrapper.find('[data-toast="danger"]').exists(), "error toast");
    expect(other.wrapper.get('[data-toast="danger"]').text()).toMatch(/^The action failed: .*(rejected|pending)/);
    expect((await adminCall<{ status: string }>(api, "GET", `/api/change-requests/${held.id}`)).status).toBe("rejected");
    other.wrapper.unmount();
  });

  it("filters by environment (the host's first, then any or all) and shows an expired request as expired; a viewer gets no actions", async () => {
    const production = (await getEnvironmentByName(api.kdb.db, "production"))!;
    const staging = (await getEnvironmentByName(api.kdb.db, "staging"))!;
    const old = await createChangeRequest(api.kdb.db, api.deps.envelope, { environmentId: production.id, kind: "secret.disable", target: "secret:OLD_ONE", payload: { name: "OLD_ONE" }, requestedBy: "admin:someone", requestedByOwner: null, at: new Date(Date.now() - 48 * 3600_000) });
    const fresh = await createChangeRequest(api.kdb.db, api.deps.envelope, { environmentId: staging.id, kind: "token.approve", target: "token:tok_x", payload: { id: "tok_x" }, requestedBy: "admin:someone", requestedByOwner: "dave", at: new Date() });
    const viewer = await keyOf("viewer", "viewer");
    const { wrapper } = mountAdmin(api, Page, { props: { environment: "staging" }, token: viewer });
    await until(() => wrapper.findAll("tbody tr").length === 1, "staging only");
    expect(wrapper.get("tbody tr").attributes("data-id")).toBe(fresh.id);
    expect(wrapper.get("tbody tr th").text()).toBe("approve token");
    expect(wrapper.get("tbody tr [data-requested-by]").text()).toBe("dave");
    expect(wrapper.find('[data-action="approve"]').exists()).toBe(false);
    expect(wrapper.find('[data-action="reject"]').exists()).toBe(false);
    // The host's environment changes: the filter follows.
    await wrapper.setProps({ environment: "production" });
    await until(() => wrapper.find(".kw-empty").exists() || wrapper.find(`tr[data-id="${fresh.id}"]`).exists() === false, "production");
    expect(wrapper.find(`tr[data-id="${fresh.id}"]`).exists()).toBe(false);
    await wrapper.get('[data-filter="status"]').setValue("expired");
    await until(() => wrapper.find(`tr[data-id="${old.id}"]`).exists(), "expired row");
    expect(wrapper.get(`tr[data-id="${old.id}"] .kw-badge`).text()).toBe("expired");
    expect(wrapper.get(`tr[data-id="${old.id}"] [data-expires]`).text()).toBe("expired");
    // All environments.
    await wrapper.get('[data-filter="environment"]').setValue("");
    await wrapper.get('[data-filter="status"]').setValue("");
    await until(() => wrapper.find(`tr[data-id="${fresh.id}"]`).exists() && wrapper.find(`tr[data-id="${old.id}"]`).exists(), "all environments");
    wrapper.unmount();
  });

  it("says how long is left in the largest whole unit, and nothing once it has passed", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(timeUntil("2026-01-01T03:10:00Z", now)).toBe("3 h");
    expect(timeUntil("2026-01-01T00:25:30Z", now)).toBe("25 min");
    expect(timeUntil("2026-01-04T00:00:00Z", now)).toBe("3 d");
    expect(timeUntil("2026-01-01T00:00:20Z", now)).toBe("< 1 min");
    expect(timeUntil("2026-01-01T00:00:00Z", now)).toBeNull();
    expect(timeUntil("2025-12-31T00:00:00Z", now)).toBeNull();
  });
});
