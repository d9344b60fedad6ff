import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey } from "@keyward/db";
import { EnvironmentsTable } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const row = (w: ReturnType<typeof mountAdmin>["wrapper"], name: string) => w.find(`tr[data-environment="${name}"]`);

describe("EnvironmentsTable against the real admin API", () => {
  it("shows the server's problem when the token is refused", async () => {
    const { wrapper } = mountAdmin(api, EnvironmentsTable, { token: unknownToken() });
    await until(() => wrapper.find('[role="alert"]').exists(), "error state");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load environments: /);
    wrapper.unmount();
  });

  it("read-only for a viewer or auditor: names, flags and counts, no write action, and a note naming the roles that may", async () => {
    for (const role of ["viewer", "auditor"] as const) {
      const token = generateToken(ADMIN_TOKEN_PREFIX);
      await createAdminKey(api.kdb.db, { name: `a ${role}`, role, keyHash: hashToken(token), actor: "system", at: new Date() });
      const { wrapper } = mountAdmin(api, EnvironmentsTable, { token });
      await until(() => row(wrapper, "production").exists() && wrapper.find("[data-read-only]").exists(), `the list for the ${role}`);
      expect(wrapper.get("[data-read-only]").text()).toBe(`You see every environment and what it holds. Creating, renaming, protecting or deleting one needs the owner or admin role; you are signed in as ${role}.`);
      expect(row(wrapper, "production").get('[data-status="protected"]').text()).toBe("protected");
      expect(row(wrapper, "development").find('[data-status="default"]').exists()).toBe(true);
      expect(row(wrapper, "production").find('[data-count="values"]').exists()).toBe(true);
      expect(wrapper.find('[data-form="create-environment"]').exists()).toBe(false);
      expect(wrapper.findAll("[data-action]")).toHaveLength(0);
      expect(wrapper.findAll("thead th").map((th) => th.text())).toEqual(["Name", "Flags", "Values", "Stubs", "Tokens", "Grants"]);
      expect(wrapper.find('[role="alert"]').exists()).toBe(false);
      wrapper.unmount();
    }
  });

  it("lists the environments with counts and badges; creates, renames, protects, makes default and deletes", async () => {
    await adminCall(api, "POST", "/api/secrets?environment=staging", { name: "K1", description: "k", type: "api-key", rotationDays: 90, value: "v-secret-1" });
    const { wrapper } = mountAdmin(api, EnvironmentsTable);
    await until(() => row(wrapper, "production").exists() && wrapper.find('[data-form="create-environment"]').exists(), "the list, with the owner's actions");
    expect(wrapper.find("[data-read-only]").exists()).toBe(false);
    expect(row(wrapper, "production").get('[data-status="protected"]').text()).toBe("protected");
    expect(row(wrapper, "development").find('[data-status="default"]').exists()).toBe(true);
    expect(row(wrapper, "staging").get('[data-count="values"]').text()).toBe("1");
    expect(row(wrapper, "development").find('[data-action="delete"]').exists()).toBe(false);

    // Create.
    await wrapper.get('[data-form="create-environment"] input.kw-input').setValue("qa");
    await wrapper.get('[data-form="create-environment"]').trigger("submit");
    await until(() => row(wrapper, "qa").exists(), "qa created");
    expect(row(wrapper, "qa").find('[data-status="protected"]').exists()).toBe(false);

    // Rename qa to preview.
    await row(wrapper, "qa").get('[data-action="rename"]').trigger("click");
    await wrapper.get('[data-form="rename"] input').setValue("preview");
    await wrapper.get('[data-form="rename"]').trigger("submit");
    await until(() => row(wrapper, "preview").exists() && !row(wrapper, "qa").exists(), "renamed");

    // Protect it, after a confirmation.
    await row(wrapper, "preview").get('[data-action="protect"] button').trigger("click");
    await row(wrapper, "preview").get('[data-action="protect"] [data-action="confirm"]').trigger("click");
    await until(() => row(wrapper, "preview").find('[data-status="protected"]').exists(), "protected");

    // Make staging the default.
    await row(wrapper, "staging").get('[data-action="default"] button').trigger("click");
    await row(wrapper, "staging").get('[data-action="default"] [data-action="confirm"]').trigger("click");
    await until(() => row(wrapper, "staging").find('[data-status="default"]').exists(), "staging default");
    expect(row(wrapper, "development").find('[data-status="default"]').exists()).toBe(false);
    await adminCall(api, "PATCH", "/api/environments/development", { default: true });

    // Deleting a protected environment is a change request (packages/http change-request tests); here
    // the protection is lifted first, as a second person's approval would, to test the plain delete.
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("name", "=", "preview").execute();
    // An empty environment is deleted after a plain confirmation.
    await row(wrapper, "preview").get('[data-action="delete"]').trigger("click");
    expect(document.querySelector('[data-field="typed-name"]')).toBeNull();
    (document.querySelector('[role="dialog"] [data-action="confirm"]') as HTMLButtonElement).click();
    await until(() => !row(wrapper, "preview").exists(), "preview deleted");

    // One that holds a value needs its name typed: the confirm button stays disabled until then.
    await until(() => row(wrapper, "staging").find('[data-action="delete"]').exists(), "staging deletable");
    await row(wrapper, "staging").get('[data-action="delete"]').trigger("click");
    const confirm = () => wrapper.get('[role="dialog"] [data-action="confirm"]');
    expect(confirm().attributes("disabled")).toBeDefined();
    await wrapper.get('[data-field="typed-name"]').setValue("stag");
    expect(confirm().attributes("disabled")).toBeDefined();
    await wrapper.get('[data-field="typed-name"]').setValue("staging");
    expect(confirm().attributes("disabled")).toBeUndefined();
    await confirm().trigger("click");
    await until(() => !row(wrapper, "staging").exists(), "staging deleted");
    expect(wrapper.html()).not.toContain("v-secret-1");
    wrapper.unmount();
  });
});
