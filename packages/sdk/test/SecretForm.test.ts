import { describe, expect, it } from "vitest";
import { readSecretValue } from "@keyward/db";
import { SecretForm } from "../src/index.js";
import { adminCall, mountAdmin, unknownToken, until, useAdminApi } from "./harness.js";

const api = useAdminApi();
const typed = () => "v_" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);

async function storedValue(name: string) {
  const result = await readSecretValue(api.kdb.db, api.deps.envelope, { environmentId: api.environmentId, name: name });
  return result;
}

describe("SecretForm against the real admin API", () => {
  it("empty: creates a secret with a first value, then clears the write-only field", async () => {
    const value = typed();
    const { wrapper } = mountAdmin(api, SecretForm);
    expect(wrapper.get("h3").text()).toBe("New secret");
    const valueInput = wrapper.get('input[name="value"]');
    expect(valueInput.attributes("type")).toBe("password");
    expect(valueInput.attributes("autocomplete")).toBe("off");
    expect((valueInput.element as HTMLInputElement).value).toBe("");
    // Every field has a label.
    for (const input of wrapper.findAll("input")) expect(wrapper.find(`label[for="${input.attributes("id")}"]`).exists()).toBe(true);

    await wrapper.get('input[name="name"]').setValue("OPENAI_API_KEY");
    await wrapper.get('input[name="description"]').setValue("OpenAI");
    // api-key: any one token (the llm-api-key shape is tested on its own below).
    await wrapper.get('select[name="type"]').setValue("api-key");
    await wrapper.get('input[name="rotationDays"]').setValue("30");
    await valueInput.setValue(value);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.text().includes("Saved OPENAI_API_KEY"), "saved");
    expect(wrapper.get('[role="status"]').text()).toBe("Saved OPENAI_API_KEY: version 1.");
    expect(wrapper.emitted("saved")).toEqual([[{ name: "OPENAI_API_KEY", version: 1 }]]);
    expect((wrapper.get('input[name="value"]').element as HTMLInputElement).value).toBe("");
    expect(wrapper.html()).not.toContain(value);

    const secret = await adminCall<{ type: string; rotationDays: number; currentVersion: number }>(api, "GET", "/api/secrets/OPENAI_API_KEY");
    expect(secret).toMatchObject({ type: "api-key", rotationDays: 30, currentVersion: 1 });
    expect(await storedValue("OPENAI_API_KEY")).toMatchObject({ value: value });
    wrapper.unmount();
  });

  it("loading: shows a status while the secret's metadata loads", () => {
    const { wrapper } = mountAdmin(api, SecretForm, { props: { name: "OPENAI_API_KEY" } });
    expect(wrapper.get('[role="status"]').text()).toBe("Loading secret…");
    expect(wrapper.find('input[name="value"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("error: names the problem when the secret does not exist or the token is refused", async () => {
    const missing = mountAdmin(api, SecretForm, { props: { name: "NO_SUCH_SECRET" } }).wrapper;
    await until(() => missing.find('[role="alert"]').exists(), "404");
    expect(missing.get('[role="alert"]').text()).toMatch(/^Could not load the secret: .*NO_SUCH_SECRET|not found/i);
    missing.unmount();

    const refused = mountAdmin(api, SecretForm, { props: { name: "OPENAI_API_KEY" }, token: unknownToken() }).wrapper;
    await until(() => refused.find('[role="alert"]').exists(), "401");
    expect(refused.get('[role="alert"]').text()).toMatch(/unknown|revoked/);
    refused.unmount();
  });

  it("filled: edits metadata and sets a new value; the value field is never filled from the server", async () => {
    const value = typed();
    const { wrapper } = mountAdmin(api, SecretForm, { props: { name: "OPENAI_API_KEY" } });
    await until(() => wrapper.find('input[name="description"]').exists(), "loaded");
    expect(wrapper.get("h3").text()).toBe("Edit OPENAI_API_KEY");
    expect((wrapper.get('input[name="description"]').element as HTMLInputElement).value).toBe("OpenAI");
    expect((wrapper.get('input[name="rotationDays"]').element as HTMLInputElement).value).toBe("30");
    expect((wrapper.get('input[name="value"]').element as HTMLInputElement).value).toBe("");
    expect(wrapper.find('input[name="name"]').exists()).toBe(false);

    // Nothing changed: nothing is sent.
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.text().includes("Nothing to save."), "no change");

    await wrapper.get('input[name="description"]').setValue("OpenAI production key");
    await wrapper.get('input[name="value"]').setValue(value);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.text().includes("Saved OPENAI_API_KEY: version 2."), "saved v2");
    expect((wrapper.get('input[name="value"]').element as HTMLInputElement).value).toBe("");
    expect(wrapper.html()).not.toContain(value);
    expect(await adminCall(api, "GET", "/api/secrets/OPENAI_API_KEY")).toMatchObject({ description: "OpenAI production key", currentVersion: 2 });
    expect(await storedValue("OPENAI_API_KEY")).toMatchObject({ value });
    wrapper.unmount();
  });

  it("checks the value against the secret's schema before sending anything", async () => {
    const schema = { pattern: "^sk-[a-z]+$", minLength: 6, maxLength: 12, enum: undefined };
    const { wrapper } = mountAdmin(api, SecretForm, { props: { name: "OPENAI_API_KEY", valueOnly: true, valueSchema: schema } });
    await until(() => wrapper.find('input[name="value"]').exists(), "loaded");
    expect(wrapper.find('input[name="description"]').exists()).toBe(false);
    expect(wrapper.get("h3").text()).toBe("Set the value of OPENAI_API_KEY");
    const submit = async (v: string) => {
      await wrapper.get('input[name="value"]').setValue(v);
      await wrapper.get("form").trigger("submit");
      await until(() => true);
    };
    await submit("");
    expect(wrapper.get(".kw-error[role=alert]").text()).toBe("Enter a value.");
    await submit("sk-a");
    expect(wrapper.get(".kw-error[role=alert]").text()).toBe("The value must be at least 6 characters.");
    await submit("sk-abcdefghijkl");
    expect(wrapper.get(".kw-error[role=alert]").text()).toBe("The value must be at most 12 characters.");
    await submit("SK-ABCDEF");
    expect(wrapper.get(".kw-error[role=alert]").text()).toBe("The value does not match the pattern ^sk-[a-z]+$.");
    expect(wrapper.get('input[name="value"]').attributes("aria-invalid")).toBe("true");
    // None of these reached the server: the version is unchanged.
    expect(await adminCall(api, "GET", "/api/secrets/OPENAI_API_KEY")).toMatchObject({ currentVersion: 2 });
    await submit("sk-abcdef");
    await until(() => wrapper.text().includes("version 3"), "valid value saved");
    expect(wrapper.get('input[name="value"]').attributes("aria-invalid")).toBeUndefined();
    wrapper.unmount();

    const choice = mountAdmin(api, SecretForm, { props: { name: "OPENAI_API_KEY", valueOnly: true, valueSchema: { enum: ["red", "blue"] } } }).wrapper;
    await until(() => choice.find('input[name="value"]').exists(), "loaded");
    await choice.get('input[name="value"]').setValue("green");
    await choice.get("form").trigger("submit");
    expect(choice.get(".kw-error[role=alert]").text()).toBe("The value must be one of: red, blue.");
    choice.unmount();
  });

  it("shows the server's refusal (e.g. a bad name) and keeps no value", async () => {
    const value = typed();
    const { wrapper } = mountAdmin(api, SecretForm);
    await wrapper.get('input[name="name"]').setValue("lower-case");
    await wrapper.get('input[name="value"]').setValue(value);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.text().includes("Could not save:"), "refused");
    expect(wrapper.get("p.kw-error").text()).toMatch(/name/);
    expect(wrapper.html()).not.toContain(value);
    expect((wrapper.get('input[name="value"]').element as HTMLInputElement).value).toBe("");
    wrapper.unmount();
  });

  it("checks the value against its type with the server's validators, and the secret's stored rules, before sending", async () => {
    const good = "sk-ant-api03-" + typed() + "x".repeat(20);
    const bad = "pk-" + typed();
    const created = await adminCall<{ type: string }>(api, "POST", "/api/secrets", { name: "ANTHROPIC_KEY", type: "llm-api-key" });
    expect(created.type).toBe("llm-api-key");
    const { wrapper } = mountAdmin(api, SecretForm, { props: { name: "ANTHROPIC_KEY", valueOnly: true } });
    await until(() => wrapper.find('input[name="value"]').exists(), "loaded");
    // One sentence after the other, with the space between them.
    expect(wrapper.get('[data-hint="value"]').text()).toBe("Write-only: it is sent once and never shown again. Expected: An LLM provider key: OpenAI sk-… / sk-proj-…, Anthropic sk-ant-….");
    await wrapper.get('input[name="value"]').setValue(bad);
    await wrapper.get("form").trigger("submit");
    await until(() => wrapper.get(".kw-error[role=alert]").text() !== "", "refused");
    expect(wrapper.get(".kw-error[role=alert]").text()).toBe("The value does not fit its type (type llm-api-key: must start with sk- (OpenAI sk-… or sk-proj-…, Anthropic sk-ant-…)).");
    expect(wrapper.html()).not.toContain(bad);
    expect(await adminCall(api, "GET", "/api/secrets/ANTHROPIC_KEY")).toMatchObject({ currentVersion: 0 });

    // Rules the app declared come with the secret from the API and are checked too.
    await api.kdb.db.updateTable("secret_definitions").set({ rules_json: JSON.stringify({ pattern: "^sk-ant-api03-v_" }) }).where("name", "=", "ANTHROPIC_KEY").execute();
    const ruled = mountAdmin(api, SecretForm, { props: { name: "ANTHROPIC_KEY", valueOnly: true } }).wrapper;
    await until(() => ruled.find('input[name="value"]').exists(), "loaded");
    await ruled.get('input[name="value"]').setValue("sk-ant-api03-" + "y".repeat(30));
    await ruled.get("form").trigger("submit");
    await until(() => ruled.get(".kw-error[role=alert]").text() !== "", "refused by rule");
    expect(ruled.get(".kw-error[role=alert]").text()).toBe("The value does not match the pattern ^sk-ant-api03-v_.");
    await ruled.get('input[name="value"]').setValue(good);
    await ruled.get("form").trigger("submit");
    await until(() => ruled.text().includes("Saved ANTHROPIC_KEY: version 1."), "saved");
    expect(await adminCall(api, "GET", "/api/secrets/ANTHROPIC_KEY")).toMatchObject({ currentVersion: 1, metadata: { provider: "anthropic" } });
    expect(ruled.html()).not.toContain(good);
    ruled.unmount();
    wrapper.unmount();
  });
});
