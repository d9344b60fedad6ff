import { describe, expect, it } from "vitest";
import { SecretsMatrix } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const VALUE = "dev_" + Math.random().toString(36).slice(2);

describe("SecretsMatrix against the real admin API", () => {
  it("shows the empty state on a fresh database", async () => {
    const { wrapper } = mountAdmin(api, SecretsMatrix);
    await until(() => wrapper.text().includes("No secrets match"), "empty state");
    expect(wrapper.find("table").exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows the server's problem when the token is refused", async () => {
    const { wrapper } = mountAdmin(api, SecretsMatrix, { token: unknownToken() });
    await until(() => wrapper.find('[role="alert"]').exists(), "error state");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load the secrets matrix: /);
    wrapper.unmount();
  });

  it("shows a value missing in production; promote sets it in staging at once and holds it for approval in protected production, the value never in the page", async () => {
    await adminCall(api, "POST", "/api/secrets?environment=development", { name: "STRIPE_KEY", description: "Stripe", type: "api-key", rotationDays: 90, value: VALUE });
    await adminCall(api, "POST", "/api/secrets?environment=development", { name: "OTHER_KEY", description: "Other", type: "api-key", rotationDays: 90, value: VALUE + "x" });
    const { wrapper } = mountAdmin(api, SecretsMatrix, { props: { promote: true } });
    await until(() => wrapper.find('tr[data-name="STRIPE_KEY"]').exists(), "the row");
    expect(wrapper.findAll("thead th").map((th) => th.text())).toEqual(expect.arrayContaining(["development", "staging", "production"]));
    const row = () => wrapper.get('tr[data-name="STRIPE_KEY"]');
    expect(row().get('[data-cell="development"]').attributes("data-state")).toBe("set");
    expect(row().get('[data-cell="development"]').text()).toContain("v1");
    expect(row().get('[data-cell="production"]').attributes("data-state")).toBe("missing");
    expect(row().get('[data-cell="production"] .kw-badge').attributes("data-tone")).toBe("danger");

    // The q filter goes to the server.
    await wrapper.get('input[type="search"]').setValue("stripe");
    await until(() => !wrapper.find('tr[data-name="OTHER_KEY"]').exists(), "filtered");
    expect(wrapper.find('tr[data-name="STRIPE_KEY"]').exists()).toBe(true);

    const promoteTo = async (target: string) => {
      await row().get('[data-action="promote"]').trigger("click");
      await wrapper.get('[data-promote="from"]').setValue("development");
      await wrapper.get('[data-promote="to"]').setValue(target);
      await wrapper.get('[data-action="confirm-promote"] button').trigger("click");
      expect(wrapper.get('[data-action="confirm-promote"] [role="dialog"]').attributes("aria-label")).toContain(`from development to ${target}`);
      await wrapper.get('[data-action="confirm-promote"] [data-action="confirm"]').trigger("click");
    };
    // Into an unprotected environment the value lands at once.
    await promoteTo("staging");
    await until(() => row().get('[data-cell="staging"]').attributes("data-state") === "set", "promoted");
    expect(row().get('[data-cell="staging"]').text()).toContain("v1");
    // Production is protected: the promotion waits for another admin, and the cell stays missing.
    await promoteTo("production");
    const held = () => adminCall<{ items: { status: string; environment: string }[] }>(api, "GET", "/api/change-requests?environment=production");
    for (let i = 0; i < 100 && (await held()).items.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await held()).items.map((r) => [r.environment, r.status])).toEqual([["production", "pending"]]);
    await until(() => !wrapper.find('[data-promote="from"]').exists(), "the promote form closed");
    expect(row().get('[data-cell="production"]').attributes("data-state")).toBe("missing");
    expect(wrapper.find('[data-promote="from"]').exists()).toBe(false);
    expect(document.body.innerHTML).not.toContain(VALUE);
    wrapper.unmount();
  });
});
