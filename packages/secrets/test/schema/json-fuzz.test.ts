import { describe, expect, it } from "vitest";
import { parseJson } from "../../src/schema/json.js";
import { findSchemaIssues, SchemaError, validateSchema } from "../../src/schema/index.js";

/** A small seeded PRNG (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const VALID = JSON.stringify(
  {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: {
      STRIPE_API_KEY: { type: "string", description: "Stripe API key \u00e9 \"quoted\" \\ \n", pattern: "^sk_(live|test)_[A-Za-z0-9]+$", minLength: 10, maxLength: 200, "x-keyward": { type: "api-key", rotationDays: 30, optional: false } },
      MODE: { description: "live or test", enum: ["live", "test"] },
      WEBHOOK_URL: { description: "where to post", format: "uri", "x-keyward": { reminderDays: 7 } },
    },
    additionalProperties: false,
  },
  null,
  2,
);

// Fragments a mutation may insert: JSON punctuation, the usual mistakes, escapes, odd characters and values.
const FRAGMENTS = ["{", "}", "[", "]", ",", ":", '"', "\\", "\\u", "\\u12", "'", "//", "/*", "\n", "\t", " ", "\u0000", "\u0007", "\u2028", "\ud800", "🔑", "\ufeff", "true", "nul", "-", "0", "01", "1e", "1.5", "-0", "1e400", "__proto__", '"__proto__": {}', '"properties": {}', '"A_KEY": { "description": "x" }', '"description": 1', '"enum": [1, [2], {"a": null}]', '"x-keyward": []', "[[[[[[[[", "]]]]]]]]", "{{{{",
  // Deep enough to overflow a recursive scanner (or anything recursing over the parsed value).
  "[".repeat(20_000), '{"a":'.repeat(5_000), "[".repeat(300) + "]".repeat(300)];

function mutate(text: string, rng: ReturnType<typeof random>): string {
  let out = text;
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(5)) {
      case 0: // truncate
        out = out.slice(0, at);
        break;
      case 1: // delete a span
        out = out.slice(0, at) + out.slice(at + 1 + rng.int(8));
        break;
      case 2: // insert a fragment
        out = out.slice(0, at) + rng.pick(FRAGMENTS) + out.slice(at);
        break;
      case 3: // duplicate a span (often a key)
        out = out.slice(0, at) + out.slice(at, at + rng.int(60)) + out.slice(at);
        break;
      default: // replace one character
        out = out.slice(0, at) + String.fromCharCode(rng.int(0x80)) + out.slice(at + 1);
    }
  }
  return out;
}

/** The input, shortened for a failure message. */
const show = (text: string) => JSON.stringify(text.length > 300 ? `${text.slice(0, 150)} … ${text.slice(-150)}` : text);

/** Parse and validate as loadSchemaFile does, minus the file system. */
function load(text: string) {
  return validateSchema(parseJson(text, "fuzz.json", { duplicateKeys: { code: "invalid_schema" } }), "fuzz.json");
}

describe("JSON loading under random bad input", () => {
  it("the unmutated document loads", () => {
    expect(Object.keys(load(VALID).properties)).toEqual(["STRIPE_API_KEY", "MODE", "WEBHOOK_URL"]);
  });

  it("never throws anything but a SchemaError, and every issue is complete", () => {
    const runs = 3000;
    for (let seed = 1; seed <= runs; seed++) {
      const text = mutate(VALID, random(seed));
      try {
        load(text);
      } catch (error) {
        if (!(error instanceof SchemaError)) throw new Error(`seed ${seed}: ${String(error)} for ${show(text)}`);
        for (const issue of error.issues) {
          expect(issue.message, `seed ${seed}`).not.toBe("");
          expect(issue.fix, `seed ${seed}`).not.toBe("");
          expect(issue.file).toBe("fuzz.json");
          if (error.code === "invalid_json") expect(issue.line, `seed ${seed}`).toBeGreaterThanOrEqual(1);
        }
        if (error.code === "invalid_json") {
          // A syntax error is reported by our scanner with its own words, never V8's fallback message.
          expect(error.issues[0]!.message, `seed ${seed}: ${show(text)}`).not.toMatch(/in JSON at position|is not valid JSON|Unexpected token/);
        }
      }
    }
  });

  it("rejects exactly what JSON.parse rejects, and reports duplicate keys only in documents JSON.parse accepts", () => {
    for (let seed = 10_001; seed <= 13_000; seed++) {
      const text = mutate(VALID, random(seed));
      let parsed = true;
      try {
        JSON.parse(text.replace(/^\ufeff/, ""));
      } catch {
        parsed = false;
      }
      let code: string | undefined;
      try {
        parseJson(text, "fuzz.json", { duplicateKeys: { code: "invalid_schema" } });
      } catch (error) {
        expect(error).toBeInstanceOf(SchemaError);
        const e = error as SchemaError;
        // Nesting deeper than MAX_JSON_DEPTH is refused even where JSON.parse copes.
        code = /nested too deeply/.test(e.issues[0]!.message) ? "too_deep" : e.code;
      }
      if (parsed) expect([undefined, "invalid_schema", "too_deep"], `seed ${seed}: ${show(text)}`).toContain(code);
      else expect(["invalid_json", "too_deep"], `seed ${seed}: ${show(text)}`).toContain(code);
    }
  });

  it("findSchemaIssues never throws on any JSON value", () => {
    const rng = random(42);
    const values = (depth: number): unknown => {
      switch (rng.int(depth > 4 ? 4 : 7)) {
        case 0:
          return null;
        case 1:
          return rng.int(2) === 0;
        case 2:
          return rng.pick([0, -1, 1.5, 1e308, 3650, 3651]);
        case 3:
          return rng.pick(["", " ", "x", "A_KEY", "\u0007", "d".repeat(1001), "(", "uri"]);
        case 4:
          return Array.from({ length: rng.int(3) }, () => values(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [rng.pick(["properties", "description", "enum", "pattern", "minLength", "maxLength", "x-keyward", "type", "A_KEY", "a", "__proto__", "optional", "rotationDays"]), values(depth + 1)]));
      }
    };
    for (let i = 0; i < 2000; i++) {
      const doc = values(0);
      const wrapped = rng.int(2) === 0 ? doc : { properties: { A_KEY: doc } };
      expect(() => findSchemaIssues(wrapped, "x.json")).not.toThrow();
    }
  });
});
