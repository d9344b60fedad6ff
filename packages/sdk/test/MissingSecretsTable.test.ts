import { describe, expect, it } from "vitest";
import { createSecretStub, ensureAccessRequest, readSecretValue } from "@keyward/db";
import { MissingSecretsTable } from "../src/index.js";
import { mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

describe("MissingSecretsTable against the real admin API", () => {
  it("loading: shows a status at first", () => {
    const { wrapper } = mountAdmin(api, MissingSecretsTable);
    expect(wrapper.get('[role="status"]').text()).toBe("Loading missing secrets…");
    wrapper.unmount();
  });

  it("empty: says that nothing is missing", async () => {
    const { wrapper } = mountAdmin(api, MissingSecretsTable);
    await until(() => wrapper.text().includes("No missing secrets"), "empty");
    expect(wrapper.find("table").exists()).toBe(false);
    wrapper.unmount();
  });

  it("error: shows the server's problem", async () => {
    const { wrapper } = mountAdmin(api, MissingSecretsTable, { token: unknownToken() });
    await until(() => wrapper.find('[role="alert"]').exists(), "error");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load missing secrets: .*(unknown|revoked)/);
    wrapper.unmount();
  });

  it("filled: lists each stub with every service that asked, and adds a value in place", async () => {
    const at = new Date();
    await createSecretStub(api.kdb.db, { environmentId: api.environmentId, name: "SENTRY_DSN", description: "Error reporting", requestedBy: "service:web", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: api.environmentId, secretName: "SENTRY_DSN", serviceName: "web", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: api.environmentId, secretName: "SENTRY_DSN", serviceName: "billing", at });
    await createSecretStub(api.kdb.db, { environmentId: api.environmentId, name: "SMTP_PASSWORD", description: "Mail", requestedBy: "service:mailer", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: api.environmentId, secretName: "SMTP_PASSWORD", serviceName: "mailer", at });

    const { wrapper } = mountAdmin(api, MissingSecretsTable);
    await until(() => wrapper.findAll("tbody tr[data-name]").length === 2, "two stubs");
    const sentry = wrapper.get('tr[data-name="SENTRY_DSN"]');
    expect(sentry.text()).toContain("Error reporting");
    expect(sentry.findAll("[data-service]").map((s) => s.attributes("data-service")).sort()).toEqual(["billing", "web"]);
    // Each asking service's request state is a badge (words and tone), not bare text.
    const billing = sentry.get('[data-service="billing"] .kw-badge');
    expect(billing.text()).toBe("pending");
    expect(billing.attributes("data-tone")).toBe("pending");

    const add = sentry.get("button");
    expect(add.attributes("aria-label")).toBe("Add value for SENTRY_DSN");
    expect(add.attributes("aria-expanded")).toBe("false");
    await add.trigger("click");
    expect(add.attributes("aria-expanded")).toBe("true");
    await until(() => wrapper.find('.kw-form-row input[name="value"]').exists(), "value form");
    const value = "https://key@sentry.example/1";
    await wrapper.get('.kw-form-row input[name="value"]').setValue(value);
    await wrapper.get(".kw-form-row form").trigger("submit");

    // Saved: the stub leaves the list (the query is invalidated) and the value is stored.
    await until(() => !wrapper.find('tr[data-name="SENTRY_DSN"]').exists(), "stub gone");
    expect(wrapper.emitted("saved")).toEqual([[{ name: "SENTRY_DSN", version: 1 }]]);
    expect(wrapper.find('tr[data-name="SMTP_PASSWORD"]').exists()).toBe(true);
    expect(wrapper.html()).not.toContain(value);
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: api.environmentId, name: "SENTRY_DSN" })).toMatchObject({ kind: "ok", value });
    wrapper.unmount();
  });
});
