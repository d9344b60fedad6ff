import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineComponent, h, ref } from "vue";
import { hashToken } from "@keyward/common";
import { registerServiceToken } from "@keyward/db";
import { AdminApiError, useApproveServiceToken, useServiceToken } from "../src/index.js";
import { mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

/** A probe that shows what the hook holds; the test drives it through `probe`. */
const probe = { id: ref(""), token: undefined as unknown as ReturnType<typeof useServiceToken>, approve: undefined as unknown as ReturnType<typeof useApproveServiceToken> };
const Probe = defineComponent({
  setup() {
    const token = (probe.token = useServiceToken(probe.id));
    probe.approve = useApproveServiceToken();
    return () => {
      const text = token.isError.value ? `error ${(token.error.value as AdminApiError).status}` : token.data.value ? `${token.data.value.serviceName} ${token.data.value.status}` : "none";
      return h("p", { "data-fetch": token.fetchStatus.value }, text);
    };
  },
});

describe("useServiceToken against the real admin API", () => {
  it("loads one token, refreshes it after an approval, shows a 404, and does not fetch for an empty id", async () => {
    const secret = "kws_" + randomBytes(32).toString("base64url");
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: api.environmentId, tokenHash: hashToken(secret), serviceName: "web", serviceVersion: "1.0.0", at: new Date() });
    probe.id.value = token.id;
    const { wrapper } = mountAdmin(api, Probe);
    await until(() => wrapper.text() === "web pending", "loaded");
    expect(probe.token.data.value?.id).toBe(token.id);
    expect(JSON.stringify(probe.token.data.value)).not.toContain(hashToken(secret));

    probe.approve.mutate(token.id);
    await until(() => wrapper.text() === "web approved", "refreshed after approval");

    probe.id.value = "no-such-token";
    await until(() => wrapper.text() === "error 404", "not found");

    probe.id.value = "";
    await until(() => wrapper.text() === "none" && wrapper.get("p").attributes("data-fetch") === "idle", "idle for an empty id");
    wrapper.unmount();
  });
});
