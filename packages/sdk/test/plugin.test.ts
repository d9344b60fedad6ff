import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { AdminApiError, createAdminClient, en, SecretsTable, unwrap, useAdminClient, useAuthConfig } from "../src/index.js";
import { mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

describe("createKeywardAdmin and the client", () => {
  it("says how to fix a missing plugin", () => {
    const Probe = defineComponent({ setup: () => (useAdminClient(), () => h("p")) });
    expect(() => mount(Probe)).toThrow("Keyward admin client is missing: call app.use(createKeywardAdmin({ baseUrl, getToken }))");
  });

  it("sends the token from getToken (sync or async) and types the response from the spec", async () => {
    const client = createAdminClient({ baseUrl: api.base + "/", getToken: async () => api.token });
    const me = await unwrap(client.GET("/api/me"));
    expect(me).toMatchObject({ name: "test owner", role: "owner" });
    const anonymous = createAdminClient({ baseUrl: api.base, getToken: () => undefined });
    const error = await unwrap(anonymous.GET("/api/me")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).status).toBe(401);
    expect((error as AdminApiError).problem.field).toBe("authorization");
  });

  it("reads the sign-in settings without a token (useAuthConfig)", async () => {
    const Probe = defineComponent({
      setup() {
        const config = useAuthConfig();
        return () => h("p", config.data.value ? JSON.stringify(config.data.value) : "loading");
      },
    });
    const { wrapper } = mountAdmin(api, Probe, { token: "" });
    await until(() => wrapper.text() !== "loading", "auth config");
    expect(JSON.parse(wrapper.text())).toEqual({ oidc: null });
    wrapper.unmount();
  });

  it("uses the messages it is given instead of English", async () => {
    const messages = { ...en, secretsTable: { ...en.secretsTable, loading: "Chargement des secrets…", empty: "Aucun secret." } };
    const { wrapper } = mountAdmin(api, SecretsTable, { messages });
    expect(wrapper.get('[role="status"]').text()).toBe("Chargement des secrets…");
    await until(() => wrapper.text().includes("Aucun secret."), "translated empty state");
    wrapper.unmount();
  });
});

