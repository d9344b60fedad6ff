import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { registerServiceToken } from "@keyward/db";
import { ServiceTokensTable } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const register = (serviceName: string) =>
  registerServiceToken(api.kdb.db, { tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName, serviceVersion: "1.0.0", at: new Date() });

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
    expect(row(web.token.id).get('[role="group"]').attributes("aria-label")).toBe("Revoke the token of web? It will no longer get any secret.");
    await row(web.token.id).get('[data-action="confirm"]').trigger("click");
    await until(() => row(web.token.id).attributes("data-status") === "revoked", "revoked");
    expect(row(web.token.id).find('[data-action="revoke"]').exists()).toBe(false);
    const tokens = await adminCall<{ items: { id: string; status: string }[] }>(api, "GET", "/api/service-tokens?status=revoked");
    expect(tokens.items.map((t) => t.id)).toEqual([web.token.id]);
    wrapper.unmount();
  });
});
