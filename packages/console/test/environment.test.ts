import { randomBytes } from "node:crypto";
import { QueryClient, VueQueryPlugin } from "@tanstack/vue-query";
import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { defineComponent, h, type Component, type Plugin } from "vue";
import { hashToken } from "@keyward/common";
import { getEnvironmentByName, registerServiceToken } from "@keyward/db";
import { ChangeRequestsTable, createKeywardAdmin, PendingApprovalsTable } from "@keyward/sdk";
import { useCurrentEnvironment, type CurrentEnvironment } from "../src/environment.js";
import { createRouter } from "../src/router.js";
import { createSession } from "../src/session.js";
import SignedIn from "../src/SignedIn.vue";
import { pageIds } from "../src/router.js";
import { strings } from "../src/strings.js";
import { createTheme } from "../src/theme.js";
import { adminCall, until, useAdminApi } from "./admin-api.js";

const api = useAdminApi();
const KEY = "keyward.console.environment";

function plugins(): (Plugin | [Plugin, ...unknown[]])[] {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return [[VueQueryPlugin, { queryClient }], createKeywardAdmin({ baseUrl: api.base, getToken: () => api.token })];
}

/** The `environment` prop a page's sdk component got. */
const environmentOf = (wrapper: { findComponent(c: Component): { props(): Record<string, unknown> } }, component: Component) => wrapper.findComponent(component).props().environment;

/** The picker's state alone, as a page load would create it from `storage`. */
function mountPicker(storage: Storage) {
  const state = {} as { env: CurrentEnvironment };
  const Probe = defineComponent({
    setup() {
      state.env = useCurrentEnvironment(storage);
      return () => h("p", state.env.pending.value ? "pending" : (state.env.name.value ?? "none"));
    },
  });
  const wrapper = mount(Probe, { global: { plugins: plugins() } });
  return { wrapper, state };
}

/** The signed-in console at `path`, against the real admin API. */
function mountConsole(path: string) {
  window.history.replaceState(null, "", path);
  const session = createSession(window.sessionStorage);
  session.signIn(api.token, false);
  const router = createRouter("/admin/", window);
  const wrapper = mount(SignedIn, {
    props: { session, router, pages: pageIds, strings, theme: createTheme(window.localStorage, document.documentElement) },
    attachTo: document.body,
    global: { plugins: plugins() },
  });
  return { wrapper, router };
}

describe("the environment picker", () => {
  it("starts at the instance's default, remembers a choice (a name only), and falls back to the default when the remembered one is gone", async () => {
    localStorage.clear();
    const first = mountPicker(localStorage);
    expect(first.wrapper.text()).toBe("pending");
    await until(() => first.wrapper.text() === "development", "the default");
    expect(localStorage.getItem(KEY)).toBeNull();
    first.state.env.choose("production");
    await until(() => first.wrapper.text() === "production", "the choice");
    expect(localStorage.getItem(KEY)).toBe("production");
    expect(first.state.env.current.value).toMatchObject({ name: "production", protected: true });
    first.wrapper.unmount();

    // A new page load starts where the admin left.
    const again = mountPicker(localStorage);
    await until(() => again.wrapper.text() === "production", "remembered");
    again.wrapper.unmount();

    // The remembered environment is deleted meanwhile: the default, never a name the API refuses.
    await adminCall(api, "POST", "/api/environments", { name: "qa" });
    localStorage.setItem(KEY, "qa");
    const before = mountPicker(localStorage);
    await until(() => before.wrapper.text() === "qa", "qa");
    before.wrapper.unmount();
    await adminCall(api, "DELETE", "/api/environments/qa");
    const after = mountPicker(localStorage);
    await until(() => after.wrapper.text() === "development", "back to the default");
    after.wrapper.unmount();
    // A made-up name is no better.
    localStorage.setItem(KEY, "no-such-env");
    const made = mountPicker(localStorage);
    await until(() => made.wrapper.text() === "development", "default for an unknown name");
    made.wrapper.unmount();
  });

  it("the pages and the navigation's counts follow the picked environment; a link's ?environment= picks it", async () => {
    localStorage.clear();
    // Waiting in production only: a service token and a held change.
    const production = (await getEnvironmentByName(api.kdb.db, "production"))!;
    await registerServiceToken(api.kdb.db, { environmentId: production.id, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "prod-web", serviceVersion: "1.0.0", at: new Date() });
    await adminCall(api, "POST", "/api/secrets?environment=production", { name: "HELD_IN_PROD" });
    const held = await adminCall<{ id: string; status: string }>(api, "POST", "/api/secrets/HELD_IN_PROD/disable?environment=production");
    expect(held.status).toBe("pending");

    const { wrapper, router } = mountConsole("/admin/approvals");
    const picker = () => wrapper.get("[data-environment-picker]");
    await until(() => wrapper.findComponent(PendingApprovalsTable).exists(), "the approvals page");
    expect(environmentOf(wrapper, PendingApprovalsTable)).toBe("development");
    expect((picker().element as HTMLSelectElement).value).toBe("development");
    await until(() => wrapper.find('[data-page-link="overview"]').exists() && wrapper.find('[data-badge="approvals"]').exists() === false, "no badge in development");
    expect(wrapper.find('[data-badge="change-requests"]').exists()).toBe(false);

    // Pick production: the page acts there, the head says so, and the badges count production's.
    await picker().setValue("production");
    await until(() => wrapper.find('[data-badge="approvals"]').exists() && wrapper.find('[data-badge="change-requests"]').exists(), "production's badges");
    expect(environmentOf(wrapper, PendingApprovalsTable)).toBe("production");
    expect(wrapper.get('[data-badge="approvals"]').text()).toBe("1 waiting");
    expect(wrapper.get('[data-badge="change-requests"]').text()).toBe("1 waiting");
    expect(wrapper.get("[data-acting-in]").text()).toMatch(/^You act in production\s+protected$/);
    expect(localStorage.getItem(KEY)).toBe("production");

    // The change requests page lists production's, and its filter starts there.
    router.go("change-requests");
    await until(() => wrapper.find(`tr[data-id="${held.id}"]`).exists(), "the held change on its page");
    expect(environmentOf(wrapper, ChangeRequestsTable)).toBe("production");
    expect((wrapper.get('[data-filter="environment"]').element as HTMLSelectElement).value).toBe("production");

    // Back to staging: nothing waits there, so no badge.
    await picker().setValue("staging");
    await until(() => !wrapper.find('[data-badge="approvals"]').exists() && !wrapper.find('[data-badge="change-requests"]').exists(), "staging: no badges");
    expect(environmentOf(wrapper, ChangeRequestsTable)).toBe("staging");
    await until(() => wrapper.find(".kw-empty").exists(), "staging: nothing pending");
    wrapper.unmount();

    // A notification's link names production: opening it picks production.
    const linked = mountConsole("/admin/approvals?environment=production");
    await until(() => linked.wrapper.find('[data-badge="approvals"]').exists(), "the link's environment");
    expect(environmentOf(linked.wrapper, PendingApprovalsTable)).toBe("production");
    expect(localStorage.getItem(KEY)).toBe("production");
    linked.wrapper.unmount();
  });

  it("the overview counts the picked environment and links its pending change requests to their page", async () => {
    localStorage.setItem(KEY, "production");
    const { wrapper, router } = mountConsole("/admin/");
    await until(() => wrapper.find('[data-count="pendingChanges"]').exists() && wrapper.get('[data-count="pendingChanges"] .count').text() === "1", "the overview's count");
    const card = wrapper.get('[data-count="pendingChanges"]');
    expect(card.attributes("href")).toBe("/admin/change-requests");
    expect(card.text()).toContain("Change requests to decide");
    expect(wrapper.get('[data-count="pendingTokens"] .count').text()).toBe("1");
    await card.trigger("click");
    expect(router.current.value).toBe("change-requests");
    // The page lists it, and the counts asked again on the page change have answered.
    await until(() => wrapper.findComponent(ChangeRequestsTable).find("tbody tr").exists() && wrapper.get('[data-badge="change-requests"]').text() === "1 waiting", "the change requests page");
    await until(() => wrapper.find('[data-badge="approvals"]').exists(), "the refreshed counts");
    wrapper.unmount();
    localStorage.clear();
  });
});
