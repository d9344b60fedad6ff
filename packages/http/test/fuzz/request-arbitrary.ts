import fc from "fast-check";
import type { SpecOperation } from "../../src/validation/operations.js";
import { RAW_1E400, deref, hostileArbitrary, hostileCursor, hostileString, schemaAt, validArbitrary, wrongType, type Json } from "./schema-arbitrary.js";

/** One request as the fuzzer sends it: already encoded, so a replay sends the same bytes. */
export interface FuzzRequest {
  method: string;
  /** Path and query string, percent-encoded. */
  url: string;
  /** The raw body text (JSON or not), or none. */
  body?: string;
  contentType?: string;
  /** A role's key, no Authorization header, or a malformed one. */
  auth: "owner" | "admin" | "operator" | "viewer" | "auditor" | "none" | "garbage";
}

/** Ids and names that exist, so mutated requests also reach the rows behind them. */
export interface Pools {
  names: string[];
  ids: string[];
}

/** Writes a JSON value as text, turning the 1e400 placeholder into the literal JSON number. */
export const jsonText = (value: unknown): string => JSON.stringify(value).replaceAll(JSON.stringify(RAW_1E400), "1e400");

/** How a value travels in a query string or path segment. */
const asText = (v: unknown): string => (v === RAW_1E400 ? "1e400" : typeof v === "string" ? v : v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
/** Over-long, but under the 16 KiB of headers Node reads before it answers 431 itself. */
const inUrl = (v: unknown): string => asText(v).slice(0, 2000);
/** encodeURIComponent throws on a lone surrogate; a client could only send its replacement. */
const encodeSegment = (v: string): string => encodeURIComponent(v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));

export function requestArbitrary(op: SpecOperation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");

  const segment = (name: string, schema: Json): fc.Arbitrary<string> => {
    const known = name === "name" ? pools.names : pools.ids;
    return fc.oneof(
      { weight: 4, arbitrary: known.length ? fc.constantFrom(...known).map(encodeSegment) : validArbitrary(schema).map((v) => encodeSegment(inUrl(v))) },
      { weight: 3, arbitrary: validArbitrary(schema).map((v) => encodeSegment(inUrl(v))) },
      { weight: 2, arbitrary: hostileArbitrary(schema).map((v) => encodeSegment(inUrl(v))) },
      // Raw segments: broken percent-encoding and dot segments, as a client could write them.
      { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%80", "%00", "..", ".", "%2e%2e", "a%2Fb", "%F0%9F%98") },
    );
  };
  const path = fc.tuple(...pathParams.map((p) => segment(p.name, schemaAt(p.schemaPointer)))).map((values) => {
    let url = op.path;
    pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, values[i]!)));
    return url;
  });

  const queryValue = (name: string, schema: Json): fc.Arbitrary<string | undefined> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: validArbitrary(schema).map(inUrl) },
      { weight: 2, arbitrary: hostileArbitrary(schema).map(inUrl) },
      { weight: name === "cursor" ? 4 : 0, arbitrary: hostileCursor },
    );
  const query = fc
    .tuple(
      fc.tuple(...queryParams.map((p) => queryValue(p.name, schemaAt(p.schemaPointer)))),
      // Now and then an unknown parameter, or a known one twice.
      fc.oneof({ weight: 8, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom("extra", "__proto__", "constructor", "", "a\u0000"), hostileString(16).map(inUrl)).map((kv) => [kv]) }),
      fc.boolean(),
    )
    .map(([values, extra, repeat]) => {
      const pairs: [string, string][] = [];
      queryParams.forEach((p, i) => values[i] !== undefined && pairs.push([p.name, values[i]!]));
      if (repeat && pairs.length && pairs.length % 3 === 0) pairs.push(pairs[0]!);
      pairs.push(...extra);
      return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : "";
    });

  const bodySchema = op.bodyPointer ? schemaAt(op.bodyPointer) : undefined;
  const body: fc.Arbitrary<{ body?: string; contentType?: string }> = bodySchema
    ? fc.oneof(
        { weight: 4, arbitrary: validArbitrary(bodySchema).map((v) => ({ body: jsonText(v) })) },
        { weight: 5, arbitrary: mutatedObject(bodySchema).map((v) => ({ body: jsonText(v) })) },
        { weight: 1, arbitrary: wrongType.map((v) => ({ body: jsonText(v) })) },
        { weight: 1, arbitrary: fc.constantFrom("{", "[", '{"a":', "nul", "\u0000", '{"value":"\\ud800"}', "[".repeat(5000) + "]".repeat(5000), '{"__proto__":{"x":1}}').map((b) => ({ body: b })) },
        { weight: 1, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: validArbitrary(bodySchema).map((v) => ({ body: jsonText(v), contentType: "text/plain" })) },
      )
    : op.method === "GET"
      ? fc.constant({}) // fetch cannot send a body with GET
      : fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: wrongType.map((v) => ({ body: jsonText(v) })) });

  const auth = fc.oneof(
    { weight: 20, arbitrary: fc.constant("owner" as const) },
    { weight: 3, arbitrary: fc.constantFrom("admin" as const, "operator" as const, "viewer" as const, "auditor" as const, "none" as const, "garbage" as const) },
  );

  return fc.record({ path, query, body, auth }).map(({ path, query, body, auth }) => ({ method: op.method, url: path + query, ...body, auth }));
}

/** A valid object with one field made hostile, a required one dropped, or an unknown one added. */
function mutatedObject(schema: Json): fc.Arbitrary<unknown> {
  const props = Object.entries((schema.properties ?? {}) as Record<string, Json>);
  if (props.length === 0) return wrongType;
  return fc.tuple(validArbitrary(schema), fc.nat({ max: props.length - 1 }), fc.nat({ max: 9 })).chain(([base, i, how]) => {
    const obj = { ...(base as Record<string, unknown>) };
    const [key, fieldSchema] = props[i]!;
    if (how === 0) {
      delete obj[key];
      return fc.constant(obj);
    }
    if (how === 1) return hostileString(16).map((k) => ({ ...obj, [k || "extra"]: 1 }));
    // A nested object (e.g. a checkpoint) gets its own field mutated.
    const nested = deref(fieldSchema);
    if (how === 2 && nested.properties) return mutatedObject(nested).map((v) => ({ ...obj, [key]: v }));
    return hostileArbitrary(fieldSchema).map((v) => ({ ...obj, [key]: v }));
  });
}
