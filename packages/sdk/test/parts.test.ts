import fs from "node:fs";
import path from "node:path";
import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { defineComponent, h, nextTick, ref } from "vue";
import { ConfirmAction, ConfirmDialog, createToasts, en, KwButton, KwToasts, StatusBadge, statusTone, statusTones, toastsKey } from "../src/index.js";

// The shared parts on their own: every status of the spec has a tone and words, the dialog keeps
// the focus inside and gives it back, buttons show loading, and toasts are announced.
const specEnum = (file: string) => {
  const text = fs.readFileSync(path.resolve(import.meta.dirname, `../../spec/openapi/schemas/${file}`), "utf8");
  return text.match(/enum: \[(.*)\]/)![1]!.split(",").map((s) => s.trim());
};

describe("StatusBadge", () => {
  it("maps every status enum of the spec to a tone and to words", () => {
    for (const [file, kind] of [["SecretStatus.yaml", "secret"], ["TokenStatus.yaml", "token"], ["AccessStatus.yaml", "access"], ["RotationState.yaml", "rotation"], ["AdminRole.yaml", "role"], ["ChangeRequestStatus.yaml", "changeRequest"]] as const) {
      const statuses = specEnum(file);
      expect(statuses.length, file).toBeGreaterThan(1);
      for (const status of statuses) {
        expect(Object.keys(statusTones[kind]), `${file}: ${status}`).toContain(status);
        expect((en.statuses[kind] as Record<string, string>)[status], `${file}: ${status} words`).toBeTruthy();
      }
    }
    expect(statusTone("secret", "stub")).toBe("pending");
    expect(statusTone("rotation", "due_soon")).toBe("warning");
    expect(statusTone("rotation", "overdue")).toBe("danger");
    expect(statusTone("token", "approved")).toBe("ok");
    expect(statusTone("auditResult", "something new")).toBe("neutral");
  });

  it("shows the status in words, not by colour alone", () => {
    const badge = mount(StatusBadge, { props: { kind: "rotation", status: "due_soon" } });
    expect(badge.text()).toBe("due soon");
    expect(badge.attributes("data-tone")).toBe("warning");
    expect(mount(StatusBadge, { props: { kind: "secret", status: "disabled", label: "off" } }).text()).toBe("off");
  });
});

describe("KwButton", () => {
  it("is disabled and aria-busy while loading, with its label unchanged", async () => {
    const button = mount(KwButton, { props: { variant: "primary", loading: true }, slots: { default: "Save" }, attrs: { "data-action": "save" } });
    expect(button.text()).toBe("Save");
    expect(button.attributes()).toMatchObject({ "aria-busy": "true", "data-action": "save", type: "button" });
    expect(button.element.disabled).toBe(true);
    expect(button.classes()).toEqual(expect.arrayContaining(["kw-btn", "kw-btn--primary"]));
    await button.setProps({ loading: false });
    expect(button.element.disabled).toBe(false);
    expect(button.attributes("aria-busy")).toBeUndefined();
  });
});

describe("ConfirmDialog", () => {
  it("is modal, focuses Confirm, keeps Tab inside, cancels on Escape and gives the focus back", async () => {
    const open = ref(false);
    const events: string[] = [];
    const Host = defineComponent(() => () => [
      h("button", { id: "opener", onClick: () => (open.value = true) }, "Open"),
      h(ConfirmDialog, { open: open.value, question: "Delete X?", danger: true, onConfirm: () => events.push("confirm"), onCancel: () => ((open.value = false), events.push("cancel")) }),
    ]);
    const wrapper = mount(Host, { attachTo: document.body });
    const opener = wrapper.get("#opener").element as HTMLButtonElement;
    opener.focus();
    await wrapper.get("#opener").trigger("click");
    await nextTick();
    await nextTick();
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.attributes()).toMatchObject({ "aria-modal": "true", "aria-label": "Delete X?" });
    const confirm = dialog.get('[data-action="confirm"]').element as HTMLElement;
    const cancel = dialog.get('[data-action="cancel"]').element as HTMLElement;
    expect(document.activeElement).toBe(confirm);
    expect(confirm.className).toContain("kw-btn--danger");
    // Tab from the last control wraps to the first, Shift+Tab from the first to the last.
    await dialog.trigger("keydown", { key: "Tab" });
    expect(document.activeElement).toBe(cancel);
    await dialog.trigger("keydown", { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(confirm);
    await dialog.trigger("keydown", { key: "Escape" });
    await nextTick();
    await nextTick();
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(events).toEqual(["cancel"]);
    expect(document.activeElement).toBe(opener);
    wrapper.unmount();
  });
});

describe("KwToasts", () => {
  it("announces successes and errors in a live region; an error stays until dismissed", async () => {
    const toasts = createToasts();
    const wrapper = mount(KwToasts, { global: { provide: { [toastsKey as symbol]: toasts } } });
    expect(wrapper.get("ol").attributes("aria-live")).toBe("polite");
    toasts.success("Saved A.");
    toasts.error("Could not save: no");
    await nextTick();
    expect(wrapper.findAll("[data-toast]").map((t) => [t.attributes("data-toast"), t.get("p").text()])).toEqual([
      ["ok", "Saved A."],
      ["danger", "Could not save: no"],
    ]);
    await wrapper.findAll("[data-toast]")[1]!.get("button").trigger("click");
    expect(wrapper.findAll("[data-toast]")).toHaveLength(1);
  });
});

describe("ConfirmAction", () => {
  it("shows that it is working while the confirmed action's promise is pending, and cannot be sent twice meanwhile", async () => {
    let finish!: () => void;
    const calls: string[] = [];
    const Host = defineComponent(() => () => h(ConfirmAction, { label: "Revoke", question: "Revoke it?", danger: true, onConfirm: () => (calls.push("confirm"), new Promise<void>((resolve) => (finish = resolve))) }));
    const wrapper = mount(Host, { attachTo: document.body });
    const button = () => wrapper.get("button.kw-btn");
    await button().trigger("click");
    await wrapper.get('[data-action="confirm"]').trigger("click");
    expect(calls).toEqual(["confirm"]);
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(button().attributes("aria-busy")).toBe("true");
    expect((button().element as HTMLButtonElement).disabled).toBe(true);
    expect(button().find(".kw-spinner").exists()).toBe(true);
    expect(button().text()).toBe("Revoke");
    finish();
    await new Promise((r) => setTimeout(r, 0));
    await nextTick();
    expect(button().attributes("aria-busy")).toBeUndefined();
    expect((button().element as HTMLButtonElement).disabled).toBe(false);
    wrapper.unmount();
  });

  it("stays as it is for a listener that returns nothing", async () => {
    const calls: string[] = [];
    const wrapper = mount(ConfirmAction, { props: { label: "Approve", question: "Approve it?", onConfirm: () => void calls.push("confirm") }, attachTo: document.body });
    await wrapper.get("button.kw-btn").trigger("click");
    await wrapper.get('[data-action="confirm"]').trigger("click");
    expect(calls).toEqual(["confirm"]);
    expect(wrapper.get("button.kw-btn").attributes("aria-busy")).toBeUndefined();
    wrapper.unmount();
  });
});

describe("the stylesheet", () => {
  it("declares the tokens for both themes and styles only kw-* classes", () => {
    const dir = path.resolve(import.meta.dirname, "../src/styles");
    const tokens = fs.readFileSync(path.join(dir, "tokens.css"), "utf8");
    for (const token of ["--kw-surface", "--kw-text", "--kw-muted", "--kw-border", "--kw-accent", "--kw-ok", "--kw-pending", "--kw-warning", "--kw-danger", "--kw-info", "--kw-focus-ring", "--kw-shadow-sm", "--kw-radius", "--kw-space-4", "--kw-text-md"]) {
      expect(tokens, token).toContain(`${token}:`);
    }
    expect(tokens).toContain('[data-kw-theme="dark"]');
    expect(tokens).toContain("prefers-color-scheme: dark");
    // Outside the token file, every rule's selector starts with a kw- class (or is an @-rule / keyframe step).
    for (const file of fs.readdirSync(dir).filter((f) => f !== "tokens.css" && f !== "index.css")) {
      const css = fs.readFileSync(path.join(dir, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      const selectors = [...css.matchAll(/(^|})\s*([^{}@]+)\{/g)].map((m) => m[2]!.trim()).filter((s) => !/^(from|to|\d+%)$/.test(s));
      expect(selectors.length, file).toBeGreaterThan(0);
      for (const group of selectors) for (const selector of group.split(",")) expect(selector.trim(), `${file}: ${selector}`).toMatch(/^\.kw-/);
    }
  });

  it("keeps a table with long names inside its frame, and what is positioned in it inside the wrap", () => {
    const css = fs.readFileSync(path.resolve(import.meta.dirname, "../src/styles/table.css"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    // Every declaration of the rules whose selector list names `selector`.
    const declarations = (selector: string) =>
      [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)]
        .filter((m) => m[1]!.split(",").map((s) => s.trim()).includes(selector))
        .flatMap((m) => m[2]!.split(";").map((d) => d.trim().replace(/\s+/g, " ")).filter(Boolean));
    // kw-sr labels are absolutely positioned: without this they sit far right in a wide table and widen the page.
    expect(declarations(".kw-table-wrap")).toContain("position: relative");
    for (const selector of [".kw-table tbody th", ".kw-table .kw-wrap", ".kw-table small"]) expect(declarations(selector), selector).toContain("overflow-wrap: anywhere");
    for (const selector of [".kw-table tbody th", ".kw-table .kw-wrap"]) expect(declarations(selector).some((d) => d.startsWith("min-width:")), selector).toBe(true);
    // Column headers may wrap between words, so their width alone does not push the row's buttons out.
    expect(declarations(".kw-table thead th")).not.toContain("white-space: nowrap");
  });
});
