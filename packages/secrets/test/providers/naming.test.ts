import { describe, expect, it } from "vitest";
import { applyCase, namingFunction, namingProblems } from "../../src/index.js";

describe("naming rules", () => {
  it("maps a schema name by template and case, or by a function", () => {
    expect(applyCase("STRIPE_API_KEY", "as-is")).toBe("STRIPE_API_KEY");
    expect(applyCase("STRIPE_API_KEY", "lower")).toBe("stripe_api_key");
    expect(applyCase("STRIPE_API_KEY", "kebab")).toBe("stripe-api-key");
    expect(namingFunction({ template: "apps/billing/{name}", case: "kebab" })("STRIPE_API_KEY")).toBe("apps/billing/stripe-api-key");
    expect(namingFunction(undefined, { template: "kw-{name}", case: "lower" })("DB_URL")).toBe("kw-db_url");
    expect(namingFunction(undefined)("DB_URL")).toBe("DB_URL");
    expect(namingFunction((n) => `x/${n}`)("A")).toBe("x/A");
    expect(() => namingFunction(() => "")("A")).toThrow("the naming rule gave no path for secret A");
  });

  it("names every problem of a bad rule", () => {
    expect(namingProblems({ template: "no-placeholder", case: "UPPER", extra: 1 }, "aws.naming")).toEqual([
      "aws.naming.extra is not an option (template, case)",
      'aws.naming.template must be a string containing {name}, e.g. "apps/billing/{name}", got "no-placeholder"',
      'aws.naming.case must be one of "as-is", "lower", "kebab", got "UPPER"',
    ]);
    expect(namingProblems("apps/{name}", "vault.naming")).toEqual(["vault.naming must be { template, case } or a function of the schema name, got string"]);
    expect(namingProblems(undefined, "x")).toEqual([]);
  });
});
