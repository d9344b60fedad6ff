import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineComponent, h, ref } from "vue";
import { ADMIN_TOKEN_PREFIX, generateToken, hashToken } from "@keyward/common";
import { createAdminKey, getEnvironmentByName, readSecretValue } from "@keyward/db";
import { AdminApiError, ChangeRequestPendingError, useDisableSecret, useRollbackSecret, useSetSecretValue, useApproveChangeRequest, useChangeRequest, useChangeRequests, useRejectChangeRequest } from "../src/index.js";
import { adminCall, mountAdmin, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const VALUE = "cr_hook_" + randomBytes(12).toString("hex");
const OTHER = "cr_other_" + randomBytes(12).toString("hex");

describe("change request hooks against the real admin API", () => {
  it("lists and reads held changes; another person approves one (it applies) and rejects another; self-approval is refused", async () => {
    // A second person's key: the requester is api.token's owner key.
    const second = generateToken(ADMIN_TOKEN_PREFIX);
    await createAdminKey(api.kdb.db, { name: "second", role: "admin", keyHash: hashToken(second), actor: "system", at: new Date(), owner: "bob" });
    const production = (await getEnvironmentByName(api.kdb.db, "production"))!;
    await adminCall(api, "POST", "/api/secrets?environment=production", { name: "HOOK_CR" });
    const held = await adminCall<{ id: string; status: string }>(api, "PUT", "/api/secrets/HOOK_CR/value?environment=production", { value: VALUE });
    const other = await adminCall<{ id: string }>(api, "PUT", "/api/secrets/HOOK_CR/value?environment=production", { value: OTHER });
    expect(held.status).toBe("pending");

    const selected = ref(held.id);
    const state = {} as {
      list: ReturnType<typeof useChangeRequests>;
      one: ReturnType<typeof useChangeRequest>;
      approve: ReturnType<typeof useApproveChangeRequest>;
      reject: ReturnType<typeof useRejectChangeRequest>;
      setValue: ReturnType<typeof useSetSecretValue>;
      rollback: ReturnType<typeof useRollbackSecret>;
      disable: ReturnType<typeof useDisableSecret>;
    };
    const Probe = defineComponent({
      setup() {
        state.list = useChangeRequests({ environment: "production" });
        state.one = useChangeRequest(selected);
        state.approve = useApproveChangeRequest();
        state.reject = useRejectChangeRequest();
        state.setValue = useSetSecretValue({ environment: "production" });
        state.rollback = useRollbackSecret({ environment: "production" });
        state.disable = useDisableSecret({ environment: "production" });
        return () => h("p", `${state.list.data.value?.items.map((r) => r.status).join(",") ?? ""} | ${state.one.data.value ? `${state.one.data.value.kind}:${state.one.data.value.status}:${state.one.data.value.holdsValue}` : "…"}`);
      },
    });
    const self = mountAdmin(api, Probe);
    await until(() => self.wrapper.text() === "pending,pending | secret.set_value:pending:true", "listed");
    const refused = await state.approve.mutateAsync(held.id).catch((e: unknown) => e as AdminApiError);
    expect(refused).toBeInstanceOf(AdminApiError);
    expect((refused as AdminApiError).status).toBe(403);
    self.wrapper.unmount();

    const bob = mountAdmin(api, Probe, { token: second });
    await until(() => bob.wrapper.text() === "pending,pending | secret.set_value:pending:true", "listed for bob");
    expect(await state.approve.mutateAsync(held.id)).toMatchObject({ status: "applied", holdsValue: false });
    await until(() => bob.wrapper.text().endsWith("| secret.set_value:applied:false"), "applied");
    expect(await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: production.id, name: "HOOK_CR" })).toMatchObject({ value: VALUE, version: 1 });
    expect(await state.reject.mutateAsync(other.id)).toMatchObject({ status: "rejected", holdsValue: false });
    await until(() => bob.wrapper.text().startsWith("rejected,applied |"), "rejected");
    // The set-value hook says a protected environment held the value, with the request, never the value.
    const pending = await state.setValue.mutateAsync({ name: "HOOK_CR", value: OTHER }).catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(ChangeRequestPendingError);
    expect((pending as ChangeRequestPendingError).request).toMatchObject({ kind: "secret.set_value", status: "pending", environment: "production" });
    expect((pending as Error).message).toMatch(/production is protected/);
    expect(JSON.stringify((pending as ChangeRequestPendingError).request)).not.toContain(OTHER);
    // So do the rollback and disable hooks: held, not taken as done.
    const rolledBack = await state.rollback.mutateAsync({ name: "HOOK_CR", toVersion: 1 }).catch((e: unknown) => e);
    expect((rolledBack as ChangeRequestPendingError).request).toMatchObject({ kind: "secret.rollback", status: "pending" });
    const disabled = await state.disable.mutateAsync("HOOK_CR").catch((e: unknown) => e);
    expect((disabled as ChangeRequestPendingError).request).toMatchObject({ kind: "secret.disable", status: "pending" });
    expect(bob.wrapper.html()).not.toContain(VALUE);
    bob.wrapper.unmount();
  });
});
