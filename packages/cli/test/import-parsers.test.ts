import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ImportParseError } from "../src/import/entries.js";
import { detectFormat, parseImportFile } from "../src/import/parse-file.js";
import { IMPORT_FORMATS } from "../src/import/entries.js";

const pairs = (r: { entries: { name: string; value: string }[] }) => r.entries.map((e) => [e.name, e.value]);

/** The error a bad file gives, which must never hold the value in it. */
function parseError(text: string, file: string, format?: (typeof IMPORT_FORMATS)[number]): ImportParseError {
  try {
    parseImportFile(text, file, format);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportParseError);
    return error as ImportParseError;
  }
  throw new Error("expected an ImportParseError");
}

describe("import parsers", () => {
  it(".env: quotes, escapes, export, comments, multi-line double-quoted values, lines", () => {
    const text = [
      "# a comment",
      "export API_KEY=abc123 # trailing comment",
      "SINGLE='lit\\n$eral'",
      'DOUBLE="tab\\there \\"quoted\\""',
      'MULTI="line one',
      'line two"',
      "",
      "EMPTY=",
      "HASH=a#b",
    ].join("\n");
    const result = parseImportFile(text, "app.env");
    expect(result.format).toBe("dotenv");
    expect(pairs(result)).toEqual([
      ["API_KEY", "abc123"],
      ["SINGLE", "lit\\n$eral"],
      ["DOUBLE", 'tab\there "quoted"'],
      ["MULTI", "line one\nline two"],
      ["EMPTY", ""],
      ["HASH", "a#b"],
    ]);
    expect(result.entries.map((e) => e.line)).toEqual([2, 3, 4, 5, 8, 9]);
  });

  it("names a bad .env line, an invalid name and a duplicate with file:line, never the value", () => {
    const unclosed = parseError('OK=1\nBAD="sk_live_secret\n', "prod.env");
    expect(unclosed.message).toBe("prod.env:2: the quoted value of BAD is never closed (missing \")");
    const garbage = parseError("OK=1\nthis is not a line with sk_live_secret\n", "prod.env");
    expect(garbage.message).toMatch(/^prod\.env:2: expected KEY=value/);
    expect(garbage.message).not.toContain("sk_live_secret");
    const lower = parseError("OK=1\n\ndb_url=sk_live_secret\n", "prod.env");
    expect(lower.message).toMatch(/^prod\.env:3: "db_url" is not a valid secret name: a secret name must be upper snake case/);
    expect(lower.message).not.toContain("sk_live_secret");
    expect(parseError("A=1\nB=2\nA=3\n", "x.env").message).toBe("x.env:3: A is given twice (also on line 1); keep one");
  });

  it("flat JSON, both Doppler shapes, Infisical and Vault KV v2, detected", () => {
    const flat = '{\n  "API_KEY": "a",\n  "PORT": 8080,\n  "ON": true\n}';
    expect(detectFormat(flat, "x.json")).toBe("json");
    expect(pairs(parseImportFile(flat, "x.json"))).toEqual([["API_KEY", "a"], ["PORT", "8080"], ["ON", "true"]]);
    const doppler = JSON.stringify({ API_KEY: { computed: "c", raw: "${OTHER}", note: "" }, RAW_ONLY: { raw: "r" } }, null, 2);
    expect(detectFormat(doppler, "d.json")).toBe("doppler");
    expect(pairs(parseImportFile(doppler, "d.json"))).toEqual([["API_KEY", "c"], ["RAW_ONLY", "r"]]);
    expect(pairs(parseImportFile('{"A":"1"}', "d.json", "doppler"))).toEqual([["A", "1"]]);
    const infisical = JSON.stringify([{ key: "API_KEY", value: "i", type: "shared" }, { key: "DB_URL", value: "pg://" }], null, 2);
    expect(detectFormat(infisical, "i.json")).toBe("infisical");
    expect(pairs(parseImportFile(infisical, "i.json"))).toEqual([["API_KEY", "i"], ["DB_URL", "pg://"]]);
    const vault = JSON.stringify({ request_id: "r", data: { data: { API_KEY: "v", DB_URL: "pg://v" }, metadata: { version: 3 } } }, null, 2);
    expect(detectFormat(vault, "v.json")).toBe("vault");
    expect(pairs(parseImportFile(vault, "v.json"))).toEqual([["API_KEY", "v"], ["DB_URL", "pg://v"]]);
    expect(parseError('{\n"A": "1",\n"b-c": "2"\n}', "x.json").message).toMatch(/^x\.json:3: "b-c" is not a valid secret name/);
  });

  it("names bad JSON shapes: a nested value, a wrong format, invalid JSON", () => {
    const nested = parseError('{\n  "A": "1",\n  "B": {"x": "sk_live_secret"}\n}', "x.json", "json");
    expect(nested.message).toBe('x.json:3: the value of "B" is an object; a secret value is a string');
    expect(parseError('{"A": "1"}', "x.json", "vault").message).toMatch(/^x\.json:1: expected a Vault KV v2 secret/);
    expect(parseError('{"A": "1"}', "x.json", "infisical").message).toMatch(/expected an Infisical export/);
    expect(parseError('[{"value": "sk_live_secret"}]', "x.json").message).toBe('x.json: item 0 is not an object with a string "key"');
    const broken = parseError('{\n  "A": "sk_live_secret",\n  oops\n}', "x.json");
    expect(broken.message).toMatch(/^x\.json:3: not valid JSON$/);
    expect(parseError('{"lower": "sk_live_secret"}', "x.json").message).toMatch(/^x\.json:1: "lower" is not a valid secret name/);
  });

  it("random input never throws anything but ImportParseError, naming the file", () => {
    const dotenvish = fc.array(fc.oneof(fc.string(), fc.constantFrom("A=1", 'B="x', "export C='y'", "#", "\\", '"', "=", "\n", "D=\"a\\\nb\"")), { maxLength: 12 }).map((parts) => parts.join(""));
    const jsonish = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify({ data: { data: v, metadata: {} } })), fc.jsonValue().map((v) => JSON.stringify([v])));
    fc.assert(
      fc.property(fc.oneof(dotenvish, jsonish), fc.constantFrom(undefined, ...IMPORT_FORMATS), (text, format) => {
        try {
          const { entries } = parseImportFile(text, "fuzz.txt", format);
          for (const e of entries) expect(e.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
        } catch (error) {
          if (!(error instanceof ImportParseError)) throw error;
          expect(error.message.startsWith("fuzz.txt")).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
