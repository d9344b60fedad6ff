import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SECRET_TYPE_ALIASES, SECRET_TYPE_NAMES, accept, createSecretTypeRegistry, refuse, type SecretTypeDefinition, type ValidationResult } from "../src/index.js";
import { createNodeSecretTypeRegistry } from "../src/node.js";
import { quoteRun } from "../src/quote-guard.js";
import { makeKeys } from "./keys.js";

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
    expect(leaky.ok || leaky.problem).toBe("type leaky: the value does not match this type (the validator's message quoted the value and was withheld)");
    expect(thrower.ok || thrower.problem).toBe("type thrower: the validator failed on this value");
    expect(JSON.stringify([leaky, thrower])).not.toContain(value);
  });
});

describe("a custom validator's answer that quotes part of the value", () => {
  const WITHHELD = "the value does not match this type (the validator's message quoted the value and was withheld)";
  const VALUE = "sk_live_9fQ2xT7mLp4Rz8Wc3Vb6Nk1H";
  /** A registry with one custom type "custom" whose validator answers `answer(value)`. */
  const withType = (answer: (v: string) => ValidationResult, extra: Partial<SecretTypeDefinition> = {}) =>
    createSecretTypeRegistry({ types: [{ name: "custom", describe: "A custom key: sk_live_ and 24 letters or digits", validate: answer, ...extra }] });
  const problemOf = (answer: (v: string) => ValidationResult, value = VALUE) => {
    const r = withType(answer).validate("custom", value);
    if (r.ok) throw new Error("expected a refusal");
    return r.problem;
  };

  it("withholds a problem that quotes a prefix, a suffix or a middle slice of the value", () => {
    for (const part of [VALUE.slice(0, 12), VALUE.slice(-10), VALUE.slice(10, 20), VALUE.slice(5, 13)]) {
      const problem = problemOf(() => refuse(`bad key '${part}'`));
      expect(problem).toBe(`type custom: ${WITHHELD}`);
      expect(problem).not.toContain(part);
    }
  });

  it("withholds a quote in another case, and one reaching one character past the prefix its describe documents", () => {
    expect(problemOf(() => refuse(`bad key ${VALUE.slice(8, 20).toUpperCase()}`))).toBe(`type custom: ${WITHHELD}`);
    expect(problemOf(() => refuse("bad key sk_live_9 (too short)"))).toBe(`type custom: ${WITHHELD}`);
    // The documented prefix alone, and runs shorter than 8 characters, are the rule, not the value.
    expect(problemOf(() => refuse("must start with sk_live_"))).toBe("type custom: must start with sk_live_");
    expect(problemOf(() => refuse(`ends badly: …${VALUE.slice(-7)}`))).toBe(`type custom: ends badly: …${VALUE.slice(-7)}`);
  });

  it("needs a shorter run for a short value: half of it, at least 4 characters", () => {
    expect([3, 4, 8, 9, 15, 16, 4096].map(quoteRun)).toEqual([undefined, 4, 4, 5, 8, 8, 8]);
    const short = "Zq8!vR2#pL"; // 10 characters: a run of 5
    expect(problemOf(() => refuse(`near ${short.slice(3, 8)}`), short)).toBe(`type custom: ${WITHHELD}`);
    expect(problemOf(() => refuse(`near ${short.slice(3, 7)}`), short)).toBe(`type custom: near ${short.slice(3, 7)}`);
  });

  it("drops metadata fields whose text or key quotes the value, and keeps the others", () => {
    const r = withType((v) => accept({ account: v.slice(0, 12), tail: v.slice(-9).toLowerCase(), [v.slice(8, 18)]: true, region: "eu", live: true, length: v.length })).validate("custom", VALUE);
    expect(r).toEqual({ ok: true, metadata: { region: "eu", live: true, length: 32 } });
    expect(JSON.stringify(r)).not.toContain(VALUE.slice(8, 16));
  });

  it("drops a number that quotes a value's digits, and metadata that is not a string, number or boolean", () => {
    const card = "4929311556472048";
    const r = withType((v) => ({ ok: true, metadata: { digits: Number(v.slice(4, 14)), raw: { v } as never, list: [v] as never, brand: "visa" } })).validate("custom", card);
    expect(r).toEqual({ ok: true, metadata: { brand: "visa" } });
  });

  it("keeps the fields a type lists in publicValueParts, and checks the list on registration", () => {
    const dsn = "acmedb://svc:9fQ2xT7mLp4Rz8Wc@db.internal.example.com/orders";
    const registry = createSecretTypeRegistry({
      types: [{ name: "acme-dsn", describe: "An Acme DSN", publicValueParts: ["host", "database"], validate: (v) => accept({ host: "db.internal.example.com", database: "orders", user: v.slice(10, 30) }) }],
    });
    expect(registry.validate("acme-dsn", dsn)).toEqual({ ok: true, metadata: { host: "db.internal.example.com", database: "orders" } });
    expect(() => registry.registerSecretType({ name: "other", describe: "x", validate: () => accept(), publicValueParts: "host" as never })).toThrow(/publicValueParts must be a list/);
  });

  it("reports an answer that is not a ValidationResult as a failed validator", () => {
    for (const answer of [undefined, null, "ok", { ok: "yes" }, { ok: false, problem: { text: VALUE } }]) {
      expect(withType(() => answer as never).validate("custom", VALUE)).toEqual({ ok: false, problem: "type custom: the validator failed on this value" });
    }
  });

  it("screens a PemInspector the caller supplies, but not the package's own", () => {
    const keys = makeKeys();
    const registry = createSecretTypeRegistry({
      pem: {
        certificate: (pem) => refuse(`unreadable near ${pem.slice(40, 60)}`),
        privateKey: (pem) => accept({ keyAlgorithm: "rsa", fingerprint: pem.slice(50, 70) }),
      },
    });
    const cert = registry.validate("pem-certificate", keys.cert);
    expect(cert).toEqual({ ok: false, problem: `type pem-certificate: ${WITHHELD}` });
    expect(registry.validate("pem-private-key", keys.rsa)).toEqual({ ok: true, metadata: { keyAlgorithm: "rsa" } });
    // The node:crypto inspector's facts and rule text pass as they are.
    expect(createNodeSecretTypeRegistry().validate("pem-private-key", keys.rsa)).toMatchObject({ ok: true, metadata: { keyAlgorithm: "rsa", keySize: 2048 } });
    expect(createNodeSecretTypeRegistry().validate("pem-certificate", keys.rsa)).toEqual({ ok: false, problem: "type pem-certificate: must be one PEM block -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----" });
  });
});
