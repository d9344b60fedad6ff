import { describe, expect, it } from "vitest";
import { AdminKeysTable, createAdminClient, unwrap } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

// There is no empty state to reach against the real API: the caller's own key is always listed.
const api = useAdminApi();
const meWith = (token: string) => unwrap(createAdminClient({ baseUrl: api.base, getToken: () => token }).GET("/api/me"));

describe("AdminKeysTable against the real admin API", () => {
  it("loading: shows a status at first", () => {
    const { wrapper } = mountAdmin(api, AdminKeysTable);
    expect(wrapper.get('[role="status"]').text()).toBe("Loading admin keys…");
    wrapper.unmount();
  });

  it("error: shows the server's problem (unknown token; a role without access)", async () => {
    const unknown = mountAdmin(api, AdminKeysTable, { token: unknownToken() }).wrapper;
    await until(() => unknown.find('[role="alert"]').exists(), "401");
    expect(unknown.get('[role="alert"]').text()).toMatch(/^Could not load admin keys: .*(unknown|revoked)/);
    unknown.unmount();

    const viewer = await adminCall<{ token: string }>(api, "POST", "/api/admin-keys", { name: "read only", role: "viewer" });
    const refused = mountAdmin(api, AdminKeysTable, { token: viewer.token }).wrapper;
    await until(() => refused.find('[role="alert"]').exists(), "403");
    expect(refused.get('[role="alert"]').text()).toMatch(/^Could not load admin keys: /);
    refused.unmount();
  });

  it("filled: creates a key shown once, and revokes a key after a confirmation", async () => {
    const { wrapper } = mountAdmin(api, AdminKeysTable);
    await until(() => wrapper.find('tr[data-name="test owner"]').exists(), "keys");
    expect(wrapper.get('tr[data-name="test owner"]').text()).toContain("owner");

    // Every role from the spec can be chosen.
    expect(wrapper.findAll("select option").map((o) => o.attributes("value"))).toEqual(["owner", "admin", "operator", "viewer", "auditor"]);
    await wrapper.get('input[name="name"]').setValue("ci deploys");
    await wrapper.get('select[name="role"]').setValue("operator");
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.find("[data-new-key]").exists(), "new key shown");
    const token = wrapper.get("[data-new-key]").text();
    expect(token).toMatch(/^kwa_[A-Za-z0-9_-]{43}$/);
    expect(await meWith(token)).toMatchObject({ name: "ci deploys", role: "operator" });
    await until(() => wrapper.find('tr[data-name="ci deploys"]').exists(), "listed");

    // Once copied, the key leaves the page.
    await wrapper.get(".kw-new-key button").trigger("click");
    expect(wrapper.html()).not.toContain(token);

    const row = () => wrapper.get('tr[data-name="ci deploys"]');
    await row().get('[data-action="revoke"] button').trigger("click");
    expect(row().get('[role="dialog"]').attributes("aria-label")).toBe("Revoke the key ci deploys? Anyone using it loses access at once.");
    await row().get('[data-action="confirm"]').trigger("click");
    await until(() => row().attributes("data-status") === "revoked", "revoked");
    await expect(meWith(token)).rejects.toMatchObject({ status: 401 });
    wrapper.unmount();
  });

  it("shows the server's refusal of a bad name", async () => {
    const { wrapper } = mountAdmin(api, AdminKeysTable);
    await wrapper.get('input[name="name"]').setValue("!bad name");
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.text().includes("Could not create the key:"), "refused");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/name/);
    wrapper.unmount();
  });
});
