import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SECRET_TYPE_ALIASES, SECRET_TYPE_NAMES, createSecretTypeRegistry, type SecretTypeDefinition } from "../src/index.js";

const root = path.resolve(import.meta.dirname, "../../..");

describe("the vocabulary", () => {
  it("is the proto's SecretType enum and the spec's SecretType.yaml, in order", () => {
    const proto = fs.readFileSync(path.join(root, "packages/proto/proto/keyward/secrets/v1/secrets.proto"), "utf8");
    const body = /enum SecretType \{([^}]*)\}/.exec(proto)![1]!;
    const fromProto = [...body.matchAll(/SECRET_TYPE_([A-Z0-9_]+) = (\d+);/g)].filter((m) => m[2] !== "0").map((m) => m[1]!.toLowerCase().replaceAll("_", "-"));
    const yaml = fs.readFileSync(path.join(root, "packages/spec/openapi/schemas/SecretType.yaml"), "utf8");
    const fromSpec = /^enum: \[(.*)\]$/m.exec(yaml)![1]!.split(",").map((s) => s.trim());
    expect(fromProto).toEqual([...SECRET_TYPE_NAMES]);
    expect(fromSpec).toEqual([...SECRET_TYPE_NAMES]);
  });

  it("has a validator for every name (aliases resolve to one)", () => {
    const registry = createSecretTypeRegistry();
    for (const name of SECRET_TYPE_NAMES) expect(registry.get(name), name).toBeDefined();
    expect(registry.names()).not.toContain("certificate");
    expect(registry.names()).toHaveLength(SECRET_TYPE_NAMES.length - Object.keys(SECRET_TYPE_ALIASES).length);
    expect(registry.get("certificate")).toBe(registry.get("pem-certificate"));
    expect(registry.canonical("nope")).toBeUndefined();
  });

  it("refuses a type it does not know", () => {
    expect(createSecretTypeRegistry().validate("api_key", "value-1")).toEqual({ ok: false, problem: "type api_key is not a registered secret type" });
  });
});

describe("registerSecretType", () => {
  const acme: SecretTypeDefinition = {
    name: "acme-token",
    describe: "An Acme token: acme_ and 20 characters",
    validate: (v) => (/^acme_.{20}$/.test(v) ? { ok: true, metadata: { region: "eu" } } : { ok: false, problem: "must be acme_ and 20 characters" }),
  };

  it("adds a custom type that validates like a built-in", () => {
    const registry = createSecretTypeRegistry({ types: [acme] });
    expect(registry.names()).toContain("acme-token");
    expect(registry.validate("acme-token", `acme_${"x".repeat(20)}`)).toEqual({ ok: true, metadata: { region: "eu" } });
    expect(registry.validate("acme-token", "acme_short")).toEqual({ ok: false, problem: "type acme-token: must be acme_ and 20 characters" });
  });

  it("refuses taken names, bad names and incomplete definitions", () => {
    const registry = createSecretTypeRegistry();
    expect(() => registry.registerSecretType({ ...acme, name: "api-key" })).toThrow("api-key is already a secret type");
    expect(() => registry.registerSecretType({ ...acme, name: "certificate" })).toThrow("certificate is already a secret type");
    expect(() => registry.registerSecretType({ ...acme, name: "Acme_Token" })).toThrow(/kebab case/);
    expect(() => registry.registerSecretType({ ...acme, validate: undefined as never })).toThrow(/needs a validate/);
    expect(() => registry.registerSecretType({ ...acme, describe: "" })).toThrow(/needs a describe/);
  });

  it("never passes on a custom validator's message that quotes the value, or what it throws", () => {
    const value = "acme_leaky_value_123";
    const registry = createSecretTypeRegistry({
      types: [
        { name: "leaky", describe: "echoes", validate: (v) => ({ ok: false, problem: `bad value ${v}` }) },
        { name: "thrower", describe: "throws", validate: (v) => { throw new Error(`cannot parse ${v}`); } },
      ],
    });
    const leaky = registry.validate("leaky", value);
    const thrower = registry.validate("thrower", value);
    expect(leaky.ok || leaky.problem).toMatch(/^type leaky: refused/);
    expect(thrower.ok || thrower.problem).toBe("type thrower: the validator failed on this value");
    expect(JSON.stringify([leaky, thrower])).not.toContain(value);
  });
});
