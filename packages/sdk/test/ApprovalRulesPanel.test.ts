import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { AdminApiError, ApprovalRulesPanel, useApprovalRules, useCreateApprovalRule, useDeleteApprovalRule } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const rows = (w: ReturnType<typeof mountAdmin>["wrapper"]) => w.findAll("tr[data-rule]");

describe("approval rules hooks against the real admin API", () => {
  it("lists, creates and deletes rules; a protected environment refuses approving kinds with a 409 naming environment", async () => {
    const hooks = {} as { list: ReturnType<typeof useApprovalRules>; create: ReturnType<typeof useCreateApprovalRule>; remove: ReturnType<typeof useDeleteApprovalRule> };
    const Probe = defineComponent({
      setup() {
        Object.assign(hooks, { list: useApprovalRules("staging"), create: useCreateApprovalRule(), remove: useDeleteApprovalRule() });
        return () => h("p", hooks.list.data.value?.items.map((r) => `${r.kind}:${r.servicePattern}:${r.active}`).join(",") ?? "loading");
      },
    });
    const { wrapper } = mountAdmin(api, Probe);
    await until(() => wrapper.text() === "", "an empty list");
    const rule = await hooks.create.mutateAsync({ environment: "staging", kind: "access.grant", servicePattern: "web-*", secretPattern: "DB_*" });
    expect(rule).toMatchObject({ environment: "staging", kind: "access.grant", secretPattern: "DB_*", active: true });
    await until(() => wrapper.text() === "access.grant:web-*:true", "the new rule listed");
    const refused = await hooks.create.mutateAsync({ environment: "production", kind: "token.approve", servicePattern: "*" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AdminApiError);
    expect(refused).toMatchObject({ status: 409, problem: { field: "environment" } });
    const bad = await hooks.create.mutateAsync({ environment: "staging", kind: "token.approve", servicePattern: "Web" }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, problem: { field: "servicePattern" } });
    await hooks.remove.mutateAsync({ environment: "staging", id: rule.id });
    await until(() => wrapper.text() === "", "the rule gone");
    wrapper.unmount();
  });
});

describe("ApprovalRulesPanel against the real admin API", () => {
  it("shows the server's problem when the token is refused", async () => {
    const { wrapper } = mountAdmin(api, ApprovalRulesPanel, { token: unknownToken(), props: { environment: "development" } });
    await until(() => wrapper.find('[role="alert"]').exists(), "error state");
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Could not load approval rules: /);
    wrapper.unmount();
  });

  it("adds a rule, shows it active, shows one inactive after protection, and deletes it after a confirmation", async () => {
    const { wrapper } = mountAdmin(api, ApprovalRulesPanel, { props: { environment: "development" } });
    await until(() => wrapper.find(".kw-empty").exists(), "the empty state");
    expect(wrapper.get(".kw-empty").text()).toContain("No approval rules.");
    // One panel per environment on a page: a heading names the environment, also while the list is empty.
    const title = wrapper.get("h2");
    expect(title.text()).toBe("Approval rules in development");
    expect(wrapper.get("section").attributes("aria-labelledby")).toBe(title.attributes("id"));
    // Access kinds take a secret pattern; token kinds do not show the field.
    expect(wrapper.find('[data-field="secret-pattern"]').exists()).toBe(false);
    await wrapper.get('[data-field="kind"]').setValue("access.grant");
    await wrapper.get('[data-field="service-pattern"]').setValue("web-*");
    await wrapper.get('[data-field="secret-pattern"]').setValue("DB_*");
    await wrapper.get('[data-form="create-rule"]').trigger("submit");
    await until(() => rows(wrapper).length === 1, "the rule listed");
    expect(rows(wrapper)[0]!.text()).toContain("web-*");
    expect(rows(wrapper)[0]!.text()).toContain("DB_*");
    expect(rows(wrapper)[0]!.get('[data-status="active"]').text()).toBe("active");

    // A bad pattern: refused by the server (400), nothing is added and the input keeps what was typed.
    await wrapper.get('[data-field="kind"]').setValue("token.approve");
    await wrapper.get('[data-field="service-pattern"]').setValue("Web(");
    await wrapper.get('[data-form="create-rule"]').trigger("submit");
    await new Promise((r) => setTimeout(r, 300));
    await until(() => (wrapper.get('[data-field="service-pattern"]').element as HTMLInputElement).value === "Web(", "the refused input kept");
    expect(rows(wrapper)).toHaveLength(1);

    // Protecting the environment later leaves the rule listed, inactive, with the reason.
    await adminCall(api, "PATCH", "/api/environments/development", { protected: true });
    await wrapper.setProps({ protected: true });
    const again = mountAdmin(api, ApprovalRulesPanel, { props: { environment: "development", protected: true } }).wrapper;
    await until(() => again.find('[data-status="inactive"]').exists(), "inactive rule");
    expect(again.get('[data-field="inactive-reason"]').text()).toContain("protected");
    expect(again.get('[data-hint="protected"]').text()).toContain("only reject");
    expect(again.findAll('[data-field="kind"] option').map((o) => o.attributes("value"))).toEqual(["token.reject", "access.reject"]);
    again.unmount();

    // Delete, after the dialog.
    await rows(wrapper)[0]!.get('[data-action="delete-rule"]').trigger("click");
    (document.querySelector('[role="dialog"] [data-action="confirm"]') as HTMLButtonElement).click();
    await until(() => wrapper.find(".kw-empty").exists(), "the rule deleted");
    wrapper.unmount();
  });
});
