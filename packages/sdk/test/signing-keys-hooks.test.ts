import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { AdminApiError, useCreateSigningKey, useRetireSigningKeyVersions, useRotateSigningKey, useSigningKeys } from "../src/index.js";
import { mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();

describe("signing key hooks against the real admin API", () => {
  it("creates, lists, rotates and retires in the hooks' environment, and surfaces a refusal", async () => {
    const hooks = {} as {
      list: ReturnType<typeof useSigningKeys>;
      create: ReturnType<typeof useCreateSigningKey>;
      rotate: ReturnType<typeof useRotateSigningKey>;
      retire: ReturnType<typeof useRetireSigningKeyVersions>;
    };
    const Probe = defineComponent({
      setup() {
        Object.assign(hooks, {
          list: useSigningKeys({ environment: "staging" }),
          create: useCreateSigningKey({ environment: "staging" }),
          rotate: useRotateSigningKey({ environment: "staging" }),
          retire: useRetireSigningKeyVersions({ environment: "staging" }),
        });
        return () => h("p", hooks.list.data.value?.items.map((k) => `${k.name}:${k.algorithm}@${k.currentVersion}>=${k.minVersion}`).join(",") ?? "…");
      },
    });
    const { wrapper } = mountAdmin(api, Probe);
    await until(() => wrapper.text() === "", "empty list");
    const created = await hooks.create.mutateAsync({ name: "HOOK_SIGNER", algorithm: "ed25519" });
    expect(created).toMatchObject({ environment: "staging", currentVersion: 1 });
    expect(created.versions[0]!.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await until(() => wrapper.text() === "HOOK_SIGNER:ed25519@1>=1", "created");
    await hooks.rotate.mutateAsync("HOOK_SIGNER");
    await until(() => wrapper.text() === "HOOK_SIGNER:ed25519@2>=1", "rotated");
    await hooks.retire.mutateAsync({ name: "HOOK_SIGNER", below: 2 });
    await until(() => wrapper.text() === "HOOK_SIGNER:ed25519@2>=2", "retired");
    const refused = await hooks.create.mutateAsync({ name: "HOOK_SIGNER", algorithm: "hmac-sha256" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AdminApiError);
    expect((refused as AdminApiError).status).toBe(409);
    wrapper.unmount();
  });
});
