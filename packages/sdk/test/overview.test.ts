import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineComponent, h, ref } from "vue";
import { hashToken } from "@keyward/common";
import { createSecretStub, ensureAccessRequest, getEnvironmentByName, registerServiceToken } from "@keyward/db";
import { useOverviewCounts } from "../src/index.js";
import { adminCall, mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

// The counts behind the console's overview and its navigation badges, from the real list endpoints.
const Counts = defineComponent({
  props: { cap: { type: Number, default: 100 } },
  setup(props) {
    const { counts, isPending } = useOverviewCounts(props.cap);
    return () => h("pre", isPending.value ? "pending" : JSON.stringify(counts.value));
  },
});

describe("useOverviewCounts against the real admin API", () => {
  it("counts pending tokens, pending requests and stubs; beyond one page it says so", async () => {
    const empty = mountAdmin(api, Counts).wrapper;
    await until(() => empty.text() !== "pending", "loaded");
    expect(JSON.parse(empty.text())).toMatchObject({ pendingTokens: { count: 0, more: false }, stubs: { count: 0 }, rotationDue: { count: 0 }, rotationOverdue: { count: 0 } });
    empty.unmount();

    const at = new Date();
    for (const name of ["a", "b", "c"]) await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: name, serviceVersion: "1.0.0", at });
    await createSecretStub(api.kdb.db, { environmentId: api.environmentId, name: "SMTP_PASSWORD", description: "", requestedBy: "service:a", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: api.environmentId, secretName: "SMTP_PASSWORD", serviceName: "a", at });

    const { wrapper } = mountAdmin(api, Counts, { props: { cap: 2 } });
    await until(() => wrapper.text() !== "pending", "loaded");
    expect(JSON.parse(wrapper.text())).toEqual({
      pendingTokens: { count: 2, more: true, failed: false },
      pendingRequests: { count: 1, more: false, failed: false },
      pendingChanges: { count: 0, more: false, failed: false },
      stubs: { count: 1, more: false, failed: false },
      rotationDue: { count: 0, more: false, failed: false },
      rotationOverdue: { count: 0, more: false, failed: false },
    });
    wrapper.unmount();
  });

  it("counts in the environment it is given, and follows it when it changes", async () => {
    const production = (await getEnvironmentByName(api.kdb.db, "production"))!;
    await registerServiceToken(api.kdb.db, { environmentId: production.id, tokenHash: hashToken("kws_" + randomBytes(32).toString("base64url")), serviceName: "prod-only", serviceVersion: "1.0.0", at: new Date() });
    // A secret created without a value is a stub in production (and nowhere else).
    await adminCall(api, "POST", "/api/secrets?environment=production", { name: "PROD_HELD" });
    await adminCall(api, "POST", "/api/secrets/PROD_HELD/disable?environment=production");
    const environment = ref<string | undefined>("production");
    const Scoped = defineComponent({
      setup() {
        const { counts } = useOverviewCounts(100, { environment });
        return () => h("pre", JSON.stringify({ tokens: counts.value.pendingTokens.count, changes: counts.value.pendingChanges.count, stubs: counts.value.stubs.count }));
      },
    });
    const { wrapper } = mountAdmin(api, Scoped);
    await until(() => wrapper.text() === JSON.stringify({ tokens: 1, changes: 1, stubs: 1 }), "production's counts");
    environment.value = "staging";
    await until(() => wrapper.text() === JSON.stringify({ tokens: 0, changes: 0, stubs: 0 }), "staging's counts");
    // Omitted: the default environment (development), where the first test left three tokens; change
    // requests, like their route, then count every environment's.
    environment.value = undefined;
    await until(() => wrapper.text() === JSON.stringify({ tokens: 3, changes: 1, stubs: 1 }), "the default's counts");
    wrapper.unmount();
  });
});
