import { describe, expect, it } from "vitest";
import { SecretForm, SecretsTable } from "../src/index.js";
import { adminCall, mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

describe("the environment prop of the components", () => {
  it("SecretsTable lists what the chosen environment holds, and follows a change of the prop", async () => {
    await adminCall(api, "POST", "/api/secrets?environment=staging", { name: "STAGING_KEY", description: "only in staging", type: "api-key", rotationDays: 90, value: "v-staging" });
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

  it("SecretForm creates and sets a value in the chosen environment only", async () => {
    const { wrapper } = mountAdmin(api, SecretForm, { props: { environment: "staging" } });
    await wrapper.get('input[name="name"]').setValue("STAGING_ONLY");
    await wrapper.get('input[name="description"]').setValue("staging only");
    await wrapper.get('select[name="type"]').setValue("api-key");
    await wrapper.get('input[name="rotationDays"]').setValue("30");
    await wrapper.get('input[name="value"]').setValue("v-staging");
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.find('[role="status"]').exists(), "saved");
    expect(wrapper.get('[role="status"]').text()).toBe("Saved STAGING_ONLY: version 1.");
    const matrix = await adminCall<{ items: { name: string; cells: { environment: string; state: string }[] }[] }>(api, "GET", "/api/secrets/matrix?q=STAGING_ONLY");
    const cells = Object.fromEntries(matrix.items[0]!.cells.map((c) => [c.environment, c.state]));
    expect(cells).toMatchObject({ staging: "set", development: "missing", production: "missing" });
    wrapper.unmount();
  });
});
