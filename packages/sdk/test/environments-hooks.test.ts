import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineComponent, h, ref } from "vue";
import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey, ensureAccessRequest, readSecretValue, getEnvironmentByName, registerServiceToken } from "@keyward/db";
import {
  AdminApiError,
  ChangeRequestPendingError,
  useCreateEnvironment,
  useCreateSecret,
  useDeleteEnvironment,
  useEnvironments,
  usePromoteSecret,
  useSecret,
  useSecretsMatrix,
  useSetSecretValue,
  useUpdateEnvironment,
  useApproveAccessRequest,
  useApproveServiceToken,
  useServiceToken,
} from "../src/index.js";
import { mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const VALUE = "hook_" + randomBytes(12).toString("hex");

type Hooks = {
  environments: ReturnType<typeof useEnvironments>;
  matrix: ReturnType<typeof useSecretsMatrix>;
  secret: ReturnType<typeof useSecret>;
  create: ReturnType<typeof useCreateEnvironment>;
  update: ReturnType<typeof useUpdateEnvironment>;
  remove: ReturnType<typeof useDeleteEnvironment>;
  createSecret: ReturnType<typeof useCreateSecret>;
  setValue: ReturnType<typeof useSetSecretValue>;
  promote: ReturnType<typeof usePromoteSecret>;
};
const env = ref("staging");
const hooks = {} as Hooks;
const Probe = defineComponent({
  setup() {
    Object.assign(hooks, {
      environments: useEnvironments(),
      matrix: useSecretsMatrix(),
      secret: useSecret("HOOK_KEY", { environment: env }),
      create: useCreateEnvironment(),
      update: useUpdateEnvironment(),
      remove: useDeleteEnvironment(),
      createSecret: useCreateSecret({ environment: env }),
      setValue: useSetSecretValue({ environment: env }),
      promote: usePromoteSecret(),
    } satisfies Hooks);
    return () => {
      const envs = hooks.environments.data.value?.items.map((e) => `${e.name}${e.default ? "*" : ""}${e.protected ? "!" : ""}:${e.counts.values}`).join(",") ?? "";
      const rows = hooks.matrix.data.value?.items.map((r) => `${r.name}=${r.cells.map((c) => c.state).join("/")}`).join(",") ?? "";
      const secret = hooks.secret.isError.value ? `error ${(hooks.secret.error.value as AdminApiError).status}` : hooks.secret.data.value ? `${hooks.secret.data.value.environment}@${hooks.secret.data.value.currentVersion}` : "none";
      return h("p", `${envs} | ${rows} | ${secret}`);
    };
  },
});

describe("environment hooks against the real admin API", () => {
  it("lists, creates, updates and deletes environments, shows the matrix, acts in a chosen environment and promotes", async () => {
    const { wrapper } = mountAdmin(api, Probe);
    await until(() => wrapper.text() === "development*:0,staging:0,production!:0 |  | error 404", "loaded");

    await hooks.createSecret.mutateAsync({ name: "HOOK_KEY", value: VALUE });
    await until(() => wrapper.text() === "development*:0,staging:1,production!:0 | HOOK_KEY=missing/set/missing | staging@1", "created in staging");
    expect((await hooks.setValue.mutateAsync({ name: "HOOK_KEY", value: VALUE + "2" })).environment).toBe("staging");
    await until(() => wrapper.text().endsWith("| staging@2"), "set in staging");

    // Production is protected: the promotion is a change request that another person approves.
    const promoted = await hooks.promote.mutateAsync({ name: "HOOK_KEY", from: "staging", to: "production" });
    expect(promoted).toMatchObject({ kind: "secret.set_value", status: "pending", payload: { name: "HOOK_KEY", promotedFrom: "staging", fromVersion: 2 } });
    expect(JSON.stringify(promoted)).not.toContain(VALUE);
    const second = generateToken(ADMIN_TOKEN_PREFIX);
    await createAdminKey(api.kdb.db, { name: "second", role: "admin", keyHash: hashToken(second), actor: "system", at: new Date(), owner: "bob" });
    const approved = await fetch(`${api.base}/api/change-requests/${(promoted as { id: string }).id}/approve`, { method: "POST", headers: { authorization: `Bearer ${second}` } });
    expect(approved.status).toBe(200);
    // Approved outside these hooks: refresh what they show.
    await Promise.all([hooks.environments.refetch(), hooks.matrix.refetch()]);
    await until(() => wrapper.text() === "development*:0,staging:1,production!:1 | HOOK_KEY=missing/set/set | staging@2", "promoted");
    const prod = (await getEnvironmentByName(api.kdb.db, "production"))!;
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: prod.id, name: "HOOK_KEY" })).toMatchObject({ value: VALUE + "2" });

    env.value = "production";
    await until(() => wrapper.text().endsWith("| production@1"), "the environment option follows its ref");

    await hooks.create.mutateAsync({ name: "qa" });
    // Turning protection off is itself a change request: the second person approves it.
    const held = await hooks.update.mutateAsync({ name: "production", protected: false }).catch((e: unknown) => e);
    expect(held).toBeInstanceOf(ChangeRequestPendingError);
    const unprotect = (held as ChangeRequestPendingError).request;
    expect(unprotect.kind).toBe("environment.update");
    expect((await fetch(`${api.base}/api/change-requests/${unprotect.id}/approve`, { method: "POST", headers: { authorization: `Bearer ${second}` } })).status).toBe(200);
    await Promise.all([hooks.environments.refetch(), hooks.matrix.refetch()]);
    await until(() => wrapper.text().startsWith("development*:0,staging:1,production:1,qa:0 | HOOK_KEY=missing/set/set/missing"), "created and updated");

    const refused = await hooks.remove.mutateAsync({ name: "production" }).catch((e: unknown) => e as AdminApiError);
    expect(refused).toBeInstanceOf(AdminApiError);
    expect((refused as AdminApiError).status).toBe(409);
    await hooks.remove.mutateAsync({ name: "production", confirm: "production" });
    await hooks.remove.mutateAsync({ name: "qa" });
    await until(() => wrapper.text().startsWith("development*:0,staging:1 | HOOK_KEY=missing/set |"), "deleted");
    wrapper.unmount();
  });

  it("reads and approves a token, and grants a request, in the environment the hooks are given", async () => {
    const staging = (await getEnvironmentByName(api.kdb.db, "staging"))!;
    const secret = "kws_" + randomBytes(32).toString("base64url");
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: staging.id, tokenHash: hashToken(secret), serviceName: "web", serviceVersion: "1", at: new Date() });
    const { request } = await ensureAccessRequest(api.kdb.db, { environmentId: staging.id, secretName: "HOOK_KEY", serviceName: "web", at: new Date() });
    const state = {} as { inDefault: ReturnType<typeof useServiceToken>; inStaging: ReturnType<typeof useServiceToken>; approve: ReturnType<typeof useApproveServiceToken>; grant: ReturnType<typeof useApproveAccessRequest> };
    const TokenProbe = defineComponent({
      setup() {
        state.inDefault = useServiceToken(token.id);
        state.inStaging = useServiceToken(token.id, { environment: "staging" });
        state.approve = useApproveServiceToken({ environment: () => "staging" });
        state.grant = useApproveAccessRequest({ environment: "staging" });
        return () => {
          const d = state.inDefault.isError.value ? `error ${(state.inDefault.error.value as AdminApiError).status}` : "…";
          const s = state.inStaging.data.value ? `${state.inStaging.data.value.environment} ${state.inStaging.data.value.status}` : "…";
          return h("p", `${d} | ${s}`);
        };
      },
    });
    const { wrapper } = mountAdmin(api, TokenProbe);
    await until(() => wrapper.text() === "error 404 | staging pending", "only staging has it");
    await state.approve.mutateAsync(token.id);
    await until(() => wrapper.text() === "error 404 | staging approved", "approved in staging");
    expect(await state.grant.mutateAsync(request.id)).toMatchObject({ status: "granted", environment: "staging" });
    wrapper.unmount();
  });
});
