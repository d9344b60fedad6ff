import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { createKeywardAdmin } from "@keyward/sdk";
import SecretsPage from "../src/pages/SecretsPage.vue";
import { createRouter } from "../src/router.js";
import { adminCall, until, useAdminApi } from "./admin-api.js";

const api = useAdminApi();

describe("the Secrets page", () => {
  it("moves the focus into the panel that Edit opens above the table, and back to that Edit button on Close", async () => {
    await adminCall(api, "POST", "/api/secrets", { name: "PANEL_FOCUS", description: "Opened from far down the table" });
    window.history.replaceState(null, "", "/admin/secrets");
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
    const wrapper = mount(SecretsPage, {
      props: { router: createRouter("/admin/", window) },
      attachTo: document.body,
      global: { plugins: [[VueQueryPlugin, { queryClient }], createKeywardAdmin({ baseUrl: api.base, getToken: () => api.token })] },
    });
    await until(() => wrapper.find('tr[data-name="PANEL_FOCUS"]').exists(), "the secret listed");
    expect(wrapper.find('[data-panel="secret"]').exists()).toBe(false);

    const edit = wrapper.get('button[aria-label="Edit PANEL_FOCUS"]');
    (edit.element as HTMLButtonElement).focus();
    await edit.trigger("click");
    await until(() => wrapper.find('[data-panel="secret"]').exists(), "the panel");
    const panel = wrapper.get('[data-panel="secret"]');
    expect(panel.attributes()).toMatchObject({ role: "region", "aria-label": "Edit PANEL_FOCUS", tabindex: "-1" });
    await until(() => document.activeElement === panel.element, "the focus in the panel");

    const close = panel.findAll("button").find((b) => b.text() === "Close")!;
    await close.trigger("click");
    await until(() => !wrapper.find('[data-panel="secret"]').exists(), "the panel closed");
    expect(document.activeElement).toBe(wrapper.get('button[aria-label="Edit PANEL_FOCUS"]').element);
    wrapper.unmount();
  });
});
