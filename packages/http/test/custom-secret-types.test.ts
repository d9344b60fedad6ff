// Issue #17: a custom type registered on the server (registerSecretType) is assigned through the
// admin API like a built-in one, its validator runs on every value, and GET /api/secret-types
// lists it; a type the server does not know is refused, naming the field.
import { createNodeSecretTypeRegistry } from "@keyward/secret-types/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, startApi, type Api } from "./harness.js";

const GOOD = "acme_" + "Q7".repeat(16);

describe("custom secret types through the admin API", () => {
  let api: Api;
  beforeAll(async () => {
    const secretTypes = createNodeSecretTypeRegistry();
    secretTypes.registerSecretType({
      name: "acme-token",
      describe: "An Acme API token: acme_ and 32 letters or digits",
      validate: (value) => (/^acme_[A-Za-z0-9]{32}$/.test(value) ? { ok: true, metadata: { region: "eu" } } : { ok: false, problem: "must be acme_ and 32 letters or digits" }),
    });
    api = await startApi({ secretTypes, credentialTester: { has: (type) => type === "smtp", test: async () => ({ status: "connected" }) } });
  });
  afterAll(async () => {
    expect(api.bodies.join("\n")).not.toContain(GOOD);
    await api?.close();
  });

  it("lists built-in and custom types, with what each accepts and which can be tested", async () => {
    const r = await api.call("GET", "/api/secret-types");
    expect(r.status).toBe(200);
    const byName = new Map((r.json.items as { name: string }[]).map((t) => [t.name, t]));
    expect(byName.get("acme-token")).toEqual({ name: "acme-token", description: "An Acme API token: acme_ and 32 letters or digits", builtIn: false, testable: false });
    expect(byName.get("smtp")).toMatchObject({ builtIn: true, testable: true });
    expect(byName.get("api-key")).toMatchObject({ builtIn: true, testable: false });
    expect(r.json.items.at(-1).name).toBe("acme-token");
  });

  it("creates a secret of a custom type with a value its validator accepts, and refuses one it does not, naming the rule", async () => {
    const created = await api.call("POST", "/api/secrets", { body: { name: "ACME_TOKEN", description: "Acme", type: "acme-token", value: GOOD } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ type: "acme-token", metadata: { region: "eu" } });
    const bad = await api.call("PUT", "/api/secrets/ACME_TOKEN/value", { body: { value: "acme_short" } });
    expectProblem(bad, 400);
    expect(bad.json.detail).toContain("type acme-token: must be acme_ and 32 letters or digits");
    expect(bad.text).not.toContain("acme_short");
  });

  it("refuses a type the server does not know, on create and on update, and changes nothing", async () => {
    const unknown = await api.call("POST", "/api/secrets", { body: { name: "NOPE", type: "acme-tokn" } });
    expectProblem(unknown, 400, "type");
    expect(unknown.json.detail).toMatch(/^acme-tokn is not a secret type here; known: api-key, .*acme-token/);
    expectProblem(await api.call("GET", "/api/secrets/NOPE"), 404);
    expectProblem(await api.call("PATCH", "/api/secrets/ACME_TOKEN", { body: { type: "Not Kebab" } }), 400, "type");
    expectProblem(await api.call("PATCH", "/api/secrets/ACME_TOKEN", { body: { type: "other-token" } }), 400, "type");
    expect((await api.call("GET", "/api/secrets/ACME_TOKEN")).json.type).toBe("acme-token");
    const alias = await api.call("PATCH", "/api/secrets/ACME_TOKEN", { body: { type: "certificate" } });
    expect(alias.status).toBe(200);
  });
});
