import { describe, expect, it } from "vitest";
import { createSecretStub, readSecretValue } from "@keyward/db";
import { SecretActions } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const v = (n: number) => `value-${n}-` + Math.random().toString(36).slice(2);

describe("SecretActions against the real admin API", () => {
  it("loading: shows a status while the versions load", () => {
    const { wrapper } = mountAdmin(api, SecretActions, { props: { name: "ANY_SECRET" } });
    expect(wrapper.get('[role="status"]').text()).toBe("Loading versions…");
    wrapper.unmount();
  });

  it("error: shows the server's problem for an unknown secret or token", async () => {
    const missing = mountAdmin(api, SecretActions, { props: { name: "NO_SUCH_SECRET" } }).wrapper;
    await until(() => missing.find('[role="alert"]').exists(), "404");
    expect(missing.get('[role="alert"]').text()).toMatch(/^Could not load versions: /);
    missing.unmount();
    const refused = mountAdmin(api, SecretActions, { props: { name: "NO_SUCH_SECRET" }, token: unknownToken() }).wrapper;
    await until(() => refused.find('[role="alert"]').exists(), "401");
    expect(refused.get('[role="alert"]').text()).toMatch(/unknown|revoked/);
    refused.unmount();
  });

  it("empty: a stub has no versions yet", async () => {
    await createSecretStub(api.kdb.db, { environmentId: api.environmentId, name: "EMPTY_STUB", description: "", requestedBy: "service:web", at: new Date() });
    const { wrapper } = mountAdmin(api, SecretActions, { props: { name: "EMPTY_STUB" } });
    await until(() => wrapper.text().includes("No value has been set yet."), "empty");
    expect(wrapper.find("table").exists()).toBe(false);
    wrapper.unmount();
  });

  it("filled: lists versions, rolls back, disables, enables and deletes, each after a confirmation", async () => {
    const values = [v(1), v(2), v(3)];
    await adminCall(api, "POST", "/api/secrets", { name: "ROTATED_KEY", value: values[0] });
    await adminCall(api, "PUT", "/api/secrets/ROTATED_KEY/value", { value: values[1] });
    await adminCall(api, "PUT", "/api/secrets/ROTATED_KEY/value", { value: values[2] });
    const { wrapper, queryClient } = mountAdmin(api, SecretActions, { props: { name: "ROTATED_KEY" } });
    await until(() => wrapper.findAll("tbody tr").length === 3, "three versions");
    expect(wrapper.get('tr[data-current="true"]').attributes("data-version")).toBe("3");
    expect(wrapper.find('tr[data-version="3"] [data-action="rollback"]').exists()).toBe(false);
    expect(wrapper.html()).not.toMatch(/value-\d-/);

    // Roll back to version 1: its value becomes version 4.
    await wrapper.get('tr[data-version="1"] [data-action="rollback"] button').trigger("click");
    expect(wrapper.get('tr[data-version="1"] [role="dialog"]').attributes("aria-label")).toBe("Make version 1 the current value of ROTATED_KEY? It is written as a new version.");
    await wrapper.get('tr[data-version="1"] [data-action="confirm"]').trigger("click");
    await until(() => wrapper.find('tr[data-version="4"][data-current="true"]').exists(), "version 4");
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: api.environmentId, name: "ROTATED_KEY" })).toMatchObject({ kind: "ok", version: 4, value: values[0] });

    // Disable, then enable.
    await until(() => wrapper.find('[data-action="disable"] button:not([disabled])').exists(), "disable ready");
    await wrapper.get('[data-action="disable"] button').trigger("click");
    await wrapper.get('[data-action="disable"] [data-action="confirm"]').trigger("click");
    await until(() => wrapper.find('[data-action="enable"]').exists(), "disabled");
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: api.environmentId, name: "ROTATED_KEY" })).toEqual({ kind: "disabled" });
    await wrapper.get('[data-action="enable"] button').trigger("click");
    await wrapper.get('[data-action="enable"] [data-action="confirm"]').trigger("click");
    await until(() => wrapper.find('[data-action="disable"]').exists(), "enabled");
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: api.environmentId, name: "ROTATED_KEY" })).toMatchObject({ kind: "ok" });

    // Delete: the host hears of it, and the secret is gone.
    await wrapper.get('[data-action="delete"] button').trigger("click");
    await wrapper.get('[data-action="delete"] [data-action="confirm"]').trigger("click");
    await until(() => (wrapper.emitted("deleted") ?? []).length === 1, "deleted");
    expect(wrapper.emitted("deleted")).toEqual([["ROTATED_KEY"]]);
    expect(wrapper.get('[role="status"]').text()).toBe("Deleted ROTATED_KEY.");
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: api.environmentId, name: "ROTATED_KEY" })).toEqual({ kind: "not_found" });
    // Let the refetches that the deletion triggered finish before the server stops.
    await until(() => queryClient.isFetching() === 0, "refetches");
    wrapper.unmount();
  });
});
