import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { hashToken } from "@keyward/common";
import { createSecretStub, ensureAccessRequest, registerServiceToken } from "@keyward/db";
import { useOverviewCounts } from "../src/index.js";
import { mountAdmin, until, useAdminApi } from "./harness.js";

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
      stubs: { count: 1, more: false, failed: false },
      rotationDue: { count: 0, more: false, failed: false },
      rotationOverdue: { count: 0, more: false, failed: false },
    });
    wrapper.unmount();
  });
});
