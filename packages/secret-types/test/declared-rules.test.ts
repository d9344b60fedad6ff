import { describe, expect, it } from "vitest";
import { parseDeclaredRules, pickDeclaredRules } from "../src/index.js";

describe("declared rules", () => {
  it("picks only the whitelisted keywords of a schema property", () => {
    expect(pickDeclaredRules({ type: "string", description: "d", pattern: "^sk-", minLength: 20, "x-keyward": { type: "llm-api-key" } })).toEqual({ pattern: "^sk-", minLength: 20 });
    expect(pickDeclaredRules({ type: "string", description: "d" })).toBeUndefined();
  });

  it("parses rules_json, and names what is wrong", () => {
    expect(parseDeclaredRules("")).toEqual({ ok: undefined });
    expect(parseDeclaredRules('{"pattern":"^sk-","enum":["a","b"],"format":"uri","maxLength":9}')).toEqual({ ok: { pattern: "^sk-", enum: ["a", "b"], format: "uri", maxLength: 9 } });
    expect(parseDeclaredRules("{nope")).toEqual({ problem: "rules must be a JSON object" });
    expect(parseDeclaredRules("[]")).toEqual({ problem: "rules must be a JSON object" });
    expect(parseDeclaredRules('{"const":"x"}')).toEqual({ problem: "rules may hold only pattern, format, minLength, maxLength, enum; got const" });
    expect(parseDeclaredRules('{"pattern":"(unclosed"}')).toEqual({ problem: "rules.pattern is not a valid regular expression" });
    expect(parseDeclaredRules('{"minLength":-1}')).toEqual({ problem: "rules.minLength must be a non-negative integer" });
    expect(parseDeclaredRules('{"enum":[]}')).toEqual({ problem: "rules.enum must be a non-empty list of strings" });
  });
});
