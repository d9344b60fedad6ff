import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { registerServiceToken } from "@keyward/db";
import type { ServiceToken } from "@keyward/spec";
import { ServiceTokensTable } from "../src/index.js";
import { toDateTimeLocal } from "../src/composables/format.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const register = (serviceName: string) =>
  registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName, serviceVersion: "1.0.0", at: new Date() });

describe("ServiceTokensTable against the real admin API", () => {
  it("loading: shows a status at first", () => {
    const { wrapper } = mountAdmin(api, ServiceTokensTable);
    expect(wrapper.get('[role="status"]').text()).toBe("Loading service tokens…");
    wrapper.unmount();
  });

  it("empty: explains where tokens come from", async () => {
    const { wrapper } = mountAdmin(api, ServiceTokensTable);
    await until(() => wrapper.text().includes("No service tokens yet"), "empty");
    wrapper.unmount();
  });

  it("error: shows the server's problem", async () => {
    const { wrapper } = mountAdmin(api, ServiceTokensTable, { token: unknownToken() });
    await until(() => wrapper.find('[role="alert"]').exists(), "error");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load service tokens: .*(unknown|revoked)/);
    wrapper.unmount();
  });

  it("filled: lists tokens, filters by status, and revokes after a confirmation", async () => {
    const web = await register("web");
    const cron = await register("cron");
    await adminCall(api, "POST", `/api/service-tokens/${web.token.id}/approve`);

    const { wrapper } = mountAdmin(api, ServiceTokensTable);
    await until(() => wrapper.findAll("tbody tr").length === 2, "two tokens");
    const row = (id: string) => wrapper.get(`tr[data-id="${id}"]`);
    expect(row(web.token.id).attributes("data-status")).toBe("approved");
    expect(row(web.token.id).text()).toContain("never");
    expect(row(cron.token.id).attributes("data-status")).toBe("pending");

    const select = wrapper.get("select");
    expect(wrapper.get(`label[for="${select.attributes("id")}"]`).text()).toBe("Status");
    await select.setValue("pending");
    await until(() => wrapper.findAll("tbody tr").length === 1, "filtered");
    expect(wrapper.get("tbody tr").attributes("data-id")).toBe(cron.token.id);
    await select.setValue("");
    await until(() => wrapper.findAll("tbody tr").length === 2, "unfiltered");

    await row(web.token.id).get('[data-action="revoke"] button').trigger("click");
    expect(row(web.token.id).get('[role="dialog"]').attributes("aria-label")).toBe("Revoke the token of web? It will no longer get any secret.");
    await row(web.token.id).get('[data-action="confirm"]').trigger("click");
    await until(() => row(web.token.id).attributes("data-status") === "revoked", "revoked");
    expect(row(web.token.id).find('[data-action="revoke"]').exists()).toBe(false);
    const tokens = await adminCall<{ items: { id: string; status: string }[] }>(api, "GET", "/api/service-tokens?status=revoked");
    expect(tokens.items.map((t) => t.id)).toEqual([web.token.id]);
    wrapper.unmount();
  });
});

describe("ServiceTokensTable: token expiry", () => {
  const local = (ms: number) => toDateTimeLocal(new Date(Date.now() + ms).toISOString());
  const DAY = 24 * 3600 * 1000;
  const serverToken = async (id: string) => (await adminCall<{ items: ServiceToken[] }>(api, "GET", "/api/service-tokens")).items.find((t) => t.id === id)!;

  it("shows the expiry, sets, changes and removes it from the table, and shows the server's refusal of a past time", async () => {
    const svc = await register("expiry-svc");
    await adminCall(api, "POST", `/api/service-tokens/${svc.token.id}/approve`);
    const pending = await register("expiry-pending");
    const other = await register("expiry-other");
    await adminCall(api, "POST", `/api/service-tokens/${other.token.id}/approve`);
    const { wrapper } = mountAdmin(api, ServiceTokensTable);
    const row = () => wrapper.get(`tr[data-id="${svc.token.id}"]`);
    await until(() => wrapper.find(`tr[data-id="${svc.token.id}"]`).exists(), "token row");
    expect(wrapper.get("thead").text()).toContain("Expires");
    expect(row().get("[data-expires]").text()).toBe("no expiry");
    // Only an approved token's expiry can be changed.
    expect(wrapper.get(`tr[data-id="${pending.token.id}"]`).find('[data-action="change-expiry"]').exists()).toBe(false);

    // Set: the labelled date-time input takes focus; saving sends it to the server as UTC.
    await row().get('[data-action="change-expiry"]').trigger("click");
    const input = row().get<HTMLInputElement>("[data-expiry-input]");
    expect(input.attributes("type")).toBe("datetime-local");
    expect(document.activeElement).toBe(input.element);
    expect(wrapper.get(`label[for="${input.attributes("id")}"]`).text()).toBe("New expiry for the token of expiry-svc");
    const first = local(DAY);
    await input.setValue(first);
    await row().get("form").trigger("submit");
    await until(() => !row().find("form").exists(), "saved");
    expect(wrapper.get("[data-notice]").text()).toBe("Saved the expiry of expiry-svc.");
    expect((await serverToken(svc.token.id)).expiresAt).toBe(new Date(first).toISOString());
    await until(() => row().get("[data-expires]").text() === new Date(first).toLocaleString(), "expiry shown");

    // Change: the editor starts from the current expiry.
    await row().get('[data-action="change-expiry"]').trigger("click");
    expect(row().get<HTMLInputElement>("[data-expiry-input]").element.value).toBe(first);
    const second = local(7 * DAY);
    await row().get("[data-expiry-input]").setValue(second);
    await row().get('[data-action="save-expiry"]').trigger("click");
    await until(() => !row().find("form").exists(), "changed");
    expect((await serverToken(svc.token.id)).expiresAt).toBe(new Date(second).toISOString());

    // A past time is refused by the server; the editor stays open with the reason, nothing changes.
    await row().get('[data-action="change-expiry"]').trigger("click");
    await row().get("[data-expiry-input]").setValue(local(-DAY));
    await row().get("form").trigger("submit");
    await until(() => wrapper.find('[role="alert"]').exists(), "refusal shown");
    expect(wrapper.get('[role="alert"]').text()).toBe("The action failed: expiresAt must be in the future");
    expect(row().find("form").exists()).toBe(true);
    expect((await serverToken(svc.token.id)).expiresAt).toBe(new Date(second).toISOString());
    // An empty input is caught before anything is sent; Escape closes the editor.
    await row().get("[data-expiry-input]").setValue("");
    await row().get("form").trigger("submit");
    expect(wrapper.get('[role="alert"]').text()).toBe("The action failed: Pick a date and time, or remove the expiry.");
    await row().get("form").trigger("keydown", { key: "Escape" });
    expect(row().find("form").exists()).toBe(false);
    expect(document.activeElement).toBe(row().get('[data-action="change-expiry"]').element);

    // Remove: the token no longer expires.
    await row().get('[data-action="change-expiry"]').trigger("click");
    await row().get('[data-action="clear-expiry"]').trigger("click");
    await until(() => row().get("[data-expires]").text() === "no expiry", "cleared");
    expect(await serverToken(svc.token.id)).toMatchObject({ expiresAt: null, expired: false });
    wrapper.unmount();
  });

  it("marks a token whose expiry has passed as expired", async () => {
    const old = await register("expired-svc");
    await adminCall(api, "POST", `/api/service-tokens/${old.token.id}/approve`);
    // Seed a past expiry directly: the API only accepts future ones.
    await api.kdb.db.updateTable("service_tokens").set({ expires_at: new Date(Date.now() - 60_000) }).where("id", "=", old.token.id).execute();
    const { wrapper } = mountAdmin(api, ServiceTokensTable);
    await until(() => wrapper.find(`tr[data-id="${old.token.id}"]`).exists(), "token row");
    const row = wrapper.get(`tr[data-id="${old.token.id}"]`);
    expect(row.attributes("data-expired")).toBe("true");
    expect(row.attributes("data-status")).toBe("approved");
    expect(row.get(".kw-expired").text()).toBe("expired");
    wrapper.unmount();
  });
});
