import { describe, expect, it } from "vitest";
import { createSecretStub } from "@keyward/db";
import { SecretsTable } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const VALUE = "sk_live_" + Math.random().toString(36).slice(2);

describe("SecretsTable against the real admin API", () => {
  it("shows the loading state while the first page is on its way", () => {
    const { wrapper } = mountAdmin(api, SecretsTable);
    expect(wrapper.get('[role="status"]').text()).toBe("Loading secrets…");
    wrapper.unmount();
  });

  it("shows the empty state on a fresh database", async () => {
    const { wrapper } = mountAdmin(api, SecretsTable);
    await until(() => wrapper.text().includes("No secrets match"), "empty state");
    expect(wrapper.find("table").exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows the server's problem when the token is refused", async () => {
    const { wrapper } = mountAdmin(api, SecretsTable, { token: unknownToken() });
    await until(() => wrapper.find('[role="alert"]').exists(), "error state");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load secrets: .*(unknown|revoked)/);
    wrapper.unmount();
  });

  it("lists secrets masked, with type, version and rotation days left; searches and pages", async () => {
    await adminCall(api, "POST", "/api/secrets", { name: "STRIPE_API_KEY", description: "Stripe", type: "api-key", rotationDays: 90, value: VALUE });
    await createSecretStub(api.kdb.db, { environmentId: api.environmentId, name: "SENTRY_DSN", description: "Sentry", requestedBy: "service:web", at: new Date() });
    await adminCall(api, "POST", "/api/secrets", { name: "DB_PASSWORD", description: "Postgres", type: "password", rotationDays: 30 });

    const { wrapper } = mountAdmin(api, SecretsTable, { props: { pageSize: 2, editable: true } });
    await until(() => wrapper.findAll("tbody tr").length === 2, "first page");
    const firstPage = wrapper.findAll("tbody tr").map((r) => r.attributes("data-name"));
    expect(wrapper.get("caption").text()).toBe("Secrets");

    // Keyset pages: the next page holds the remaining secret, and "previous" comes back.
    await wrapper.get("nav.kw-pager button:last-of-type").trigger("click");
    await until(() => wrapper.findAll("tbody tr").length === 1, "second page");
    const secondPage = wrapper.findAll("tbody tr").map((r) => r.attributes("data-name"));
    expect([...firstPage, ...secondPage].sort()).toEqual(["DB_PASSWORD", "SENTRY_DSN", "STRIPE_API_KEY"]);
    await wrapper.get("nav.kw-pager button:first-of-type").trigger("click");
    await until(() => wrapper.findAll("tbody tr").length === 2, "back to the first page");

    // Search goes to the server (q) and resets to the first page.
    await wrapper.get('input[type="search"]').setValue("stripe");
    await until(() => wrapper.findAll("tbody tr").length === 1, "search result");
    const row = wrapper.get("tbody tr");
    expect(row.attributes("data-name")).toBe("STRIPE_API_KEY");
    expect(row.text()).toContain("api-key");
    expect(row.text()).toContain("••••••••");
    expect(row.get("[data-rotation]").attributes("data-rotation")).toBe("ok");
    expect(row.get("[data-rotation]").text()).toMatch(/ok · (89|90) days left/);
    expect(wrapper.html()).not.toContain(VALUE);

    await wrapper.get('input[type="search"]').setValue("SENTRY");
    await until(() => wrapper.find('tbody tr[data-name="SENTRY_DSN"]').exists(), "stub");
    expect(wrapper.get('tbody tr[data-name="SENTRY_DSN"]').text()).toContain("not set");
    expect(wrapper.get('tbody tr[data-name="SENTRY_DSN"] [data-rotation]').text()).toBe("no value");

    // Edit is a labelled button that tells the host which secret.
    await wrapper.get('tbody tr[data-name="SENTRY_DSN"] button').trigger("click");
    expect(wrapper.emitted("edit")).toEqual([["SENTRY_DSN"]]);
    expect(wrapper.get('tbody tr[data-name="SENTRY_DSN"] button').attributes("aria-label")).toBe("Edit SENTRY_DSN");
    // The search box is labelled.
    const input = wrapper.get('input[type="search"]');
    expect(wrapper.get(`label[for="${input.attributes("id")}"]`).text()).toBe("Search secrets");

    // The status and rotation filters go to the server too, and can be preset by the host.
    await input.setValue("");
    await wrapper.get('select[data-filter="status"]').setValue("stub");
    // DB_PASSWORD was created without a value: a stub too.
    await until(() => wrapper.findAll("tbody tr").map((r) => r.attributes("data-name")).join() === "DB_PASSWORD,SENTRY_DSN", "stubs only");
    await wrapper.get('select[data-filter="status"]').setValue("");
    await wrapper.get('select[data-filter="rotation"]').setValue("ok");
    await until(() => wrapper.findAll("tbody tr").map((r) => r.attributes("data-name")).join() === "STRIPE_API_KEY", "rotation ok only");
    wrapper.unmount();

    const preset = mountAdmin(api, SecretsTable, { props: { rotation: "overdue" } }).wrapper;
    await until(() => preset.text().includes("No secrets match."), "none overdue");
    expect((preset.get('select[data-filter="rotation"]').element as HTMLSelectElement).value).toBe("overdue");
    preset.unmount();
  });
});

describe("SecretsTable: derived metadata (issue #17)", () => {
  it("shows what a value's type derived (a DSN's host and database), never the value or its password", async () => {
    const password = "pw" + Math.random().toString(36).slice(2);
    await adminCall(api, "POST", "/api/secrets", { name: "ORDERS_DB_URL", description: "Orders", type: "database-url", value: `postgres://app:${password}@db.internal:5432/orders` });
    const { wrapper } = mountAdmin(api, SecretsTable, {});
    await until(() => wrapper.find('tbody tr[data-name="ORDERS_DB_URL"]').exists(), "listed");
    const row = wrapper.get('tbody tr[data-name="ORDERS_DB_URL"]');
    expect(row.get("[data-metadata]").text()).toBe("scheme postgres · host db.internal · port 5432 · database orders");
    expect(wrapper.html()).not.toContain(password);
    wrapper.unmount();
  });
});
