import path from "node:path";
import { describe, expect, it } from "vitest";
import { findSchemaIssues, loadSchemaFile, SchemaError } from "../../src/schema/index.js";
import { expectSchemaError } from "../fixtures/errors.js";
import { makeTree, secret } from "../fixtures/tree.js";

function load(content: string | object) {
  const tree = makeTree();
  const file = tree.write("secrets.schema.json", content);
  return { file, run: () => loadSchemaFile(file) };
}

function onlyIssue(content: string | object, code: SchemaError["code"] = "invalid_schema") {
  const { file, run } = load(content);
  const error = expectSchemaError(run, code);
  expect(error.issues).toHaveLength(1);
  const issue = error.issues[0]!;
  expect(issue.file).toBe(file);
  // The rendered message carries file, pointer, problem and fix.
  expect(error.message).toContain(file);
  expect(error.message).toContain(issue.pointer);
  expect(error.message).toContain(`fix: ${issue.fix}`);
  return issue;
}

describe("loadSchemaFile", () => {
  it("returns a valid file as is", () => {
    const doc = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        STRIPE_API_KEY: secret("Stripe API key", { pattern: "^sk_\\w+$", minLength: 10, maxLength: 200, "x-keyward": { type: "api-key", rotationDays: 30, optional: false } }),
        MODE: { description: "live or test", enum: ["live", "test"] },
        WEBHOOK_URL: { description: "where to post", format: "uri" },
      },
      additionalProperties: false,
    };
    expect(load(doc).run()).toEqual(doc);
  });

  it("reports malformed JSON with the file, line and column", () => {
    const issue = onlyIssue('{\n  "properties": {\n    "A_KEY": { "description": "x", },\n  }\n}\n', "invalid_json");
    expect(issue).toMatchObject({ pointer: "", line: 3, column: 36, message: "trailing comma before }" });
    expect(issue.fix).toMatch(/remove the comma/);
  });

  it.each([
    ["{ nope", 1, 3, /property names must be in double quotes/],
    ['{\n  // a comment\n  "properties": {}\n}', 2, 3, /comments are not allowed/],
    ["{ 'properties': {} }", 1, 3, /single quotes/],
    ['{ "properties": {', 1, 18, /unexpected end of file/],
    ['{ "properties": {} }}', 1, 21, /after the end of the JSON document/],
    ['{ "properties": { "A": { "description": "x" "pattern": "y" } } }', 1, 45, /missing "," between properties/],
    ['{ "properties": { "A": { "description": "a\\_b" } } }', 1, 43, /invalid escape/],
    ["", 1, 1, /unexpected end of file/],
  ])("locates malformed JSON %j at %i:%i", (text, line, column, message) => {
    const issue = onlyIssue(text, "invalid_json");
    expect(issue).toMatchObject({ line, column });
    expect(issue.message).toMatch(message);
  });

  it("requires a description, with the pointer and an example fix", () => {
    const issue = onlyIssue({ type: "object", properties: { STRIPE_API_KEY: { type: "string" } } });
    expect(issue.pointer).toBe("/properties/STRIPE_API_KEY/description");
    expect(issue.message).toBe('secret STRIPE_API_KEY has no "description"');
    expect(issue.fix).toMatch(/add "description": /);
  });

  it("rejects a blank description", () => {
    const issue = onlyIssue({ properties: { A_KEY: { description: "   " } } });
    expect(issue).toMatchObject({ pointer: "/properties/A_KEY/description", message: '"description" of A_KEY must not be blank' });
  });

  it("reports an invalid regex in pattern with the regex engine's error", () => {
    const issue = onlyIssue({ properties: { A_KEY: secret("x", { pattern: "^(sk_" }) } });
    expect(issue.pointer).toBe("/properties/A_KEY/pattern");
    expect(issue.message).toMatch(/not a valid regular expression: Invalid regular expression: .*Unterminated group/);
    expect(issue.fix).toMatch(/new RegExp\(pattern, "u"\)/);
  });

  it("compiles pattern with the u flag, where needless escapes are errors", () => {
    expect(onlyIssue({ properties: { A_KEY: secret("x", { pattern: "^a\\_b$" }) } }).message).toMatch(/Invalid escape/);
  });

  it("rejects an unknown x-keyward key and suggests the right spelling", () => {
    const issue = onlyIssue({ properties: { A_KEY: secret("x", { "x-keyward": { rotation_days: 30 } }) } });
    expect(issue.pointer).toBe("/properties/A_KEY/x-keyward/rotation_days");
    expect(issue.message).toBe('unknown x-keyward key "rotation_days" in secret A_KEY');
    expect(issue.fix).toBe('did you mean "rotationDays"? x-keyward accepts only type, rotationDays, reminderDays, optional');
  });

  it("rejects x-keyward.source in hand-written files", () => {
    const issue = onlyIssue({ properties: { A_KEY: secret("x", { "x-keyward": { source: "me" } }) } });
    expect(issue.pointer).toBe("/properties/A_KEY/x-keyward/source");
    expect(issue.fix).toMatch(/remove it/);
  });

  it.each([
    ["stripeApiKey", "STRIPE_API_KEY"],
    ["stripe-api-key", "STRIPE_API_KEY"],
    ["9LIVES", "LIVES"],
    ["_X", "X"],
  ])("rejects the secret name %j and suggests %j", (name, suggestion) => {
    const issue = onlyIssue({ properties: { [name]: secret("x") } });
    expect(issue.pointer).toBe(`/properties/${name}`);
    expect(issue.message).toBe(`secret name "${name}" is not UPPER_SNAKE_CASE (it must match ^[A-Z][A-Z0-9_]{0,127}$)`);
    expect(issue.fix).toContain(`rename it to "${suggestion}"`);
  });

  it("escapes pointers (RFC 6901)", () => {
    expect(onlyIssue({ properties: { "a/b~c": secret("x") } }).pointer).toBe("/properties/a~1b~0c");
  });

  it.each([
    [{ properties: { A_KEY: secret("x", { type: "number" }) } }, "/properties/A_KEY/type", '"type" of A_KEY must be "string" (got "number")'],
    [{ properties: { A_KEY: secret("x", { "x-keyward": { type: "apikey" } }) } }, "/properties/A_KEY/x-keyward/type", '"x-keyward.type" of A_KEY is not an allowed value (got "apikey")'],
    [{ properties: { A_KEY: secret("x", { "x-keyward": { rotationDays: 0 } }) } }, "/properties/A_KEY/x-keyward/rotationDays", '"x-keyward.rotationDays" of A_KEY must be at least 1 (got 0)'],
    [{ properties: { A_KEY: secret("x", { "x-keyward": { rotationDays: 1.5 } }) } }, "/properties/A_KEY/x-keyward/rotationDays", '"x-keyward.rotationDays" of A_KEY must be an integer (got 1.5)'],
    [{ properties: { A_KEY: secret("x", { "x-keyward": { optional: "yes" } }) } }, "/properties/A_KEY/x-keyward/optional", '"x-keyward.optional" of A_KEY must be a boolean (got "yes")'],
    [{ properties: { A_KEY: secret("x", { format: "url" }) } }, "/properties/A_KEY/format", '"format" of A_KEY is not an allowed value (got "url")'],
    [{ properties: { A_KEY: secret("x", { enum: [] }) } }, "/properties/A_KEY/enum", '"enum" of A_KEY must not be empty'],
    [{ properties: { A_KEY: secret("x", { enum: ["a", "a"] }) } }, "/properties/A_KEY/enum", '"enum" of A_KEY lists the same value twice (items 0 and 1)'],
    [{ properties: { A_KEY: secret("x", { default: "sk_live_123" }) } }, "/properties/A_KEY/default", '"default" is not allowed in secret A_KEY: a schema never holds secret values'],
    [{ properties: { A_KEY: secret("x", { optional: true }) } }, "/properties/A_KEY/optional", '"optional" of A_KEY belongs under "x-keyward"'],
    [{ properties: { A_KEY: secret("x", { minLength: 5, maxLength: 2 }) } }, "/properties/A_KEY/minLength", '"minLength" of A_KEY (5) is greater than its "maxLength" (2)'],
    [{ properties: { A_KEY: secret("x", { pattern: "^sk_", enum: ["pk_1"] }) } }, "/properties/A_KEY/enum/0", 'enum value 0 of A_KEY does not match its "pattern", so it can never be accepted'],
    [{ properties: { A_KEY: "string" } }, "/properties/A_KEY", 'secret A_KEY must be an object (got "string")'],
    [{ type: "object" }, "/properties", 'the schema has no "properties"'],
    [{ properties: {}, required: ["A_KEY"] }, "/required", '"required" is not used in secrets.schema.json'],
    [{ properties: {}, type: "array" }, "/type", '"type" must be "object" (got "array")'],
    [{ properties: {}, additionalProperties: true }, "/additionalProperties", '"additionalProperties" must be false (got true)'],
    [[], "", "the schema must be an object (got an array)"],
  ])("%j: %s", (doc, pointer, message) => {
    expect(onlyIssue(doc)).toMatchObject({ pointer, message });
  });

  it("reports every problem at once, grouped by secret", () => {
    const { run } = load({ properties: { B_KEY: { pattern: "(" }, a: secret("x"), A_KEY: secret("x", { "x-keyward": { bogus: 1 } }) } });
    const error = expectSchemaError(run, "invalid_schema");
    expect(error.issues.map((i) => i.pointer)).toEqual(["/properties/A_KEY/x-keyward/bogus", "/properties/B_KEY/description", "/properties/B_KEY/pattern", "/properties/a"]);
    expect(error.message).toMatch(/^invalid secrets schema \(4 problems\):/);
  });

  it("formats paths relative to a directory", () => {
    const { file, run } = load({ properties: { A_KEY: {} } });
    const text = expectSchemaError(run, "invalid_schema").format(path.dirname(file));
    expect(text).toBe('invalid secrets schema:\n  secrets.schema.json at /properties/A_KEY/description: secret A_KEY has no "description"\n    fix: add "description": "what A_KEY is for and where it comes from", e.g. "Stripe API key for charging cards"');
  });

  it("reports a missing file as not_found", () => {
    expect(expectSchemaError(() => loadSchemaFile("/nonexistent/secrets.schema.json"), "not_found").issues[0]!.file).toBe("/nonexistent/secrets.schema.json");
  });

  it("findSchemaIssues returns the issues without throwing", () => {
    expect(findSchemaIssues({ properties: { A_KEY: secret("x") } }, "x.json")).toEqual([]);
    expect(findSchemaIssues({ properties: { A_KEY: {} } }, "x.json")).toHaveLength(1);
  });
});
