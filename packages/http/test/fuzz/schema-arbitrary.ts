import fc from "fast-check";
import { openapiDocument } from "@keyward/spec";

// Arbitraries for the values a JSON schema of the bundled spec accepts, and for hostile values
// that a client could send instead. Read from the spec, so a new parameter or field is covered
// without new test code.

export type Json = Record<string, any>;
const doc = openapiDocument as unknown as Json;

/** Follows local $refs ("#/components/…") to the schema they name. */
export function deref(node: Json): Json {
  while (node && typeof node.$ref === "string") {
    node = node.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, p: string) => n[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
}

/** The schema at a JSON pointer of the bundled document (as SpecOperation holds them). */
export const schemaAt = (pointer: string): Json =>
  deref(
    pointer
      .split("/")
      .slice(1)
      .reduce((n: Json, p) => n[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc),
  );

/** A placeholder the request builder replaces in the JSON text: a number JSON can write but JS cannot hold. */
export const RAW_1E400 = "\u0001raw:1e400\u0001";

const MIN_DATE = new Date("1970-01-01T00:00:00.000Z");
const MAX_DATE = new Date("9999-12-31T23:59:59.999Z");

/** RFC 3339 date-times in 1970..9999, with and without fractions and offsets. */
export const validDateTime = fc
  .tuple(fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true }), fc.constantFrom("Z", "+00:00", "+05:30", "-08:00", "z"), fc.boolean())
  .map(([d, zone, fraction]) => {
    const iso = d.toISOString();
    const base = fraction ? iso.slice(0, -1) : iso.slice(0, 19);
    return base + zone;
  })
  // An offset can push a date just inside the range outside it; the spec bounds the written year.
  .filter((s) => s >= "1970" && s < "A");

/** Dates that are not, or not in range: every class that reached a query before issue #20. */
export const badDates = [
  "",
  "not-a-date",
  "0000-01-01T00:00:00Z",
  "0000-01-01T00:00:00.000Z",
  "1969-12-31T23:59:59Z",
  "2026-02-30T00:00:00Z",
  "2025-02-29T00:00:00Z",
  "2026-13-01T00:00:00Z",
  "2026-01-01T24:00:00Z",
  "2016-12-31T23:59:60Z",
  "9999-12-31T23:59:59-14:00",
  "+275760-09-13T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "10000-01-01T00:00:00Z",
  "2026-01-01",
  "2026-01-01T00:00:00",
  "2026-01-01T00:00:00.0000000000000000001Z",
  "9999-99-99T99:99:99.999Z",
  "1e308",
];

/** Year 0000: PGlite and PostgreSQL disagreed on it before issue #20. */
const yearZero = ["0000-01-01T00:00:00Z", "0000-12-31T23:59:59.999Z", "0000-02-29T00:00:00+01:00"];
/** Whole numbers past an int4 column (or a bigint, or a double's precision). */
const overflowNumbers: unknown[] = [2 ** 31, 2 ** 31 + 1, 2 ** 32, 2 ** 53 + 2, 2 ** 63, -(2 ** 31) - 1, 1e308, RAW_1E400];
export const badNumbers: unknown[] = [-1, 0, -0, 0.5, -0.5, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 1e308, -1e308, Number.MIN_VALUE, RAW_1E400];

const controlChar = fc.integer({ min: 1, max: 0x1f }).chain((c) => fc.constantFrom(String.fromCharCode(c), String.fromCharCode(0x7f)));
const around = (middle: fc.Arbitrary<string>) => fc.tuple(fc.string({ maxLength: 8 }), middle, fc.string({ maxLength: 8 })).map(([a, c, b]) => a + c + b);

/**
 * Strings a hostile client sends: NUL (which PostgreSQL cannot store, so it is weighted up), other
 * control characters, odd Unicode, bad dates, over-long and arbitrary text.
 */
export const hostileString = (maxLength = 128): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: around(fc.constant("\u0000")) },
    { weight: 2, arbitrary: around(controlChar) },
    { weight: 2, arbitrary: fc.constantFrom("", " ", "\u0000", "a\u0000b", "\u001b[31m", "\r\n", "\uD800", "\uFFFF", "\u202E", "%00", "%", "%zz", "../..", "' OR 1=1 --", "\\", '"', "null", "undefined", "NaN", "-1", "1e400", "😀") },
    { weight: 1, arbitrary: fc.constantFrom(...badDates) },
    { weight: 1, arbitrary: fc.nat({ max: 3 }).map((k) => "A".repeat([maxLength + 1, maxLength * 2 + 7, 1000, 70_000][k]!)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  );

/** Any JSON value of the wrong shape: for a field of any type. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, "", "1", 0, [null], { "": 1 }, { __proto__: 1 }, { constructor: { prototype: 1 } }),
  fc.constantFrom(...badNumbers),
  fc.jsonValue({ maxDepth: 2 }),
);

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const badSlot = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...badDates) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(0.5, -1, 2 ** 63, 1e308, -0, "1", null, true, [], {}, "id\u0000", "A\u0000", "lower", "1BAD", "a b", "x".repeat(300), "\u0000") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
);
const goodSlot = fc.oneof(validDateTime.map((d) => new Date(d).toISOString()), fc.uuid(), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/), fc.nat());

/**
 * Base64url cursors in the forms the cursor codec uses (a JSON array of one or two typed slots:
 * [time, id], [name], [seq]) with bad contents, and a few of the wrong form or not base64url.
 */
export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(badSlot, goodSlot).map((key) => b64(JSON.stringify(key))) },
  { weight: 2, arbitrary: fc.tuple(goodSlot, badSlot).map((key) => b64(JSON.stringify(key))) },
  { weight: 4, arbitrary: badSlot.map((slot) => b64(JSON.stringify([slot]))) },
  { weight: 1, arbitrary: fc.array(fc.oneof(badSlot, goodSlot), { maxLength: 4 }).map((key) => b64(JSON.stringify(key))) },
  { weight: 1, arbitrary: fc.constantFrom("[1e400]", "[1e400,1]", '["2026-01-01T00:00:00.000Z",1e400]', '{"a":1}', "null", "[", "", '"x"', "[[]]").map(b64) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).map(b64) },
  { weight: 1, arbitrary: fc.constantFrom("%00", "///", "====", "a b", "x".repeat(600)) },
);

function stringArbitrary(schema: Json): fc.Arbitrary<string> {
  if (schema.format === "date-time") return validDateTime;
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 64, 256);
  if (schema.pattern) {
    const re = new RegExp(schema.pattern, "u");
    let arb: fc.Arbitrary<string>;
    try {
      arb = fc.stringMatching(re);
    } catch {
      arb = fc.string({ maxLength: max });
    }
    return arb.filter((s) => re.test(s) && s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength: min, maxLength: max });
}

/** Values the schema accepts (by construction, so most reach the handler rather than the validator). */
export function validArbitrary(schemaIn: Json, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(schemaIn);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ["oneOf", "anyOf"] as const) if (schema[key]) return fc.oneof(...(schema[key] as Json[]).map((s) => validArbitrary(s, depth + 1)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ["object"];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case "null":
          return fc.constant(null);
        case "boolean":
          return fc.boolean();
        case "integer":
          return fc.integer({ min: Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 31)), max: Math.min(schema.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1) });
        case "number":
          return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
        case "string":
          return stringArbitrary(schema);
        case "array":
          return fc.array(schema.items ? validArbitrary(schema.items, depth + 1) : fc.jsonValue(), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
        default: {
          const props = Object.entries((schema.properties ?? {}) as Record<string, Json>);
          if (depth > 4 || props.length === 0) return fc.constant({});
          const required = (schema.required ?? []) as string[];
          return fc.record(Object.fromEntries(props.map(([k, s]) => [k, validArbitrary(s, depth + 1)])), { requiredKeys: required });
        }
      }
    }),
  );
}

/** A value for this schema that is likely wrong: out of bounds, the wrong type, or hostile text. */
export function hostileArbitrary(schemaIn: Json): fc.Arbitrary<unknown> {
  const schema = deref(schemaIn);
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const other = [{ weight: 1, arbitrary: wrongType }];
  if (types.includes("integer") || types.includes("number")) {
    const edges = [schema.minimum, schema.maximum].filter((n): n is number => typeof n === "number").flatMap((n) => [n - 1, n + 1, n + 0.5]);
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...overflowNumbers) },
      { weight: 3, arbitrary: fc.constantFrom(...badNumbers, ...edges) },
      ...other,
      { weight: 1, arbitrary: hostileString(16) },
    );
  }
  if (schema.format === "date-time") {
    return fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...yearZero) },
      { weight: 4, arbitrary: fc.constantFrom(...badDates) },
      ...other,
      { weight: 1, arbitrary: hostileString(schema.maxLength ?? 64) },
    );
  }
  if (types.includes("string") || schema.enum) return fc.oneof({ weight: 6, arbitrary: hostileString(schema.maxLength ?? 128) }, ...other);
  return fc.oneof(wrongType, hostileString(128));
}
