import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { KwToasts, SecretForm } from "../src/index.js";
import { mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

// A host page: a component that mutates, and the app's toasts.
const Page = defineComponent(() => () => [h(SecretForm), h(KwToasts)]);

describe("toasts for mutations against the real admin API", () => {
  it("announce a save and a refused save; the typed value is in neither", async () => {
    const value = "v_" + Math.random().toString(36).slice(2) + "x".repeat(12);
    const { wrapper } = mountAdmin(api, Page);
    await wrapper.get('input[name="name"]').setValue("TOAST_KEY");
    await wrapper.get('input[name="value"]').setValue(value);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.find('[data-toast="ok"]').exists(), "success toast");
    expect(wrapper.get('[data-toast="ok"]').text()).toContain("Saved TOAST_KEY: version 1.");

    // The same name again: the server refuses (409), and the toast says why.
    await wrapper.get('input[name="name"]').setValue("TOAST_KEY");
    await wrapper.get('input[name="value"]').setValue(value);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.find('[data-toast="danger"]').exists(), "error toast");
    expect(wrapper.get('[data-toast="danger"]').text()).toMatch(/^Could not save: .*TOAST_KEY/);
    expect(wrapper.get(".kw-toasts").attributes("aria-live")).toBe("polite");
    expect(wrapper.html()).not.toContain(value);
    wrapper.unmount();
  });
});
