import { describe, expect, it } from "vitest";
import { SecretsTable } from "../src/index.js";
import { adminCall, mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

describe("the environment prop of the components", () => {
  it("SecretsTable lists what the chosen environment holds, and follows a change of the prop", async () => {
    await adminCall(api, "POST", "/api/secrets?environment=staging", { name: "STAGING_KEY", description: "only in staging", type: "api_key", rotationDays: 90, value: "v-staging" });
    const { wrapper } = mountAdmin(api, SecretsTable, { props: { environment: "staging" } });
    await until(() => wrapper.find('tbody tr[data-name="STAGING_KEY"]').exists(), "the staging row");
    // Production holds nothing yet: the same table, pointed there, shows its empty state.
    await wrapper.setProps({ environment: "production" });
    await until(() => wrapper.text().includes("No secrets match"), "the production view");
    expect(wrapper.find('tbody tr[data-name="STAGING_KEY"]').exists()).toBe(false);
    await wrapper.setProps({ environment: "staging" });
    await until(() => wrapper.find('tbody tr[data-name="STAGING_KEY"]').exists(), "staging again");
    expect(wrapper.html()).not.toContain("v-staging");
    wrapper.unmount();
  });
});
