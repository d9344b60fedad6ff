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

/**
 * Requests for one operation: a valid request, or a valid one with ONE input made hostile (a path
 * parameter, a query parameter, the body or one of its fields), so the hostile value is not
 * refused for a neighbour's fault and gets as far as the handler and the database.
 */
export function requestArbitrary(op: SpecOperation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const bodySchema = op.bodyPointer ? schemaAt(op.bodyPointer) : undefined;

  // Valid inputs. A path parameter is mostly a row that exists; an optional query parameter is
  // left out half the time; a cursor is only ever sent as a mutation (a valid one needs a page).
  const validSegment = (name: string, schema: Json): fc.Arbitrary<string> => {
    const known = name === "name" ? pools.names : pools.ids;
    const generated = validArbitrary(schema).map((v) => encodeSegment(inUrl(v)));
    return known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known).map(encodeSegment) }, { weight: 1, arbitrary: generated }) : generated;
  };
  const validQuery = (name: string, schema: Json, required: boolean): fc.Arbitrary<string | undefined> =>
    name === "cursor" ? fc.constant(undefined) : required ? validArbitrary(schema).map(inUrl) : fc.option(validArbitrary(schema).map(inUrl), { nil: undefined });
  const hostileSegment = (schema: Json): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: hostileArbitrary(schema).map((v) => encodeSegment(inUrl(v))) },
      // Raw segments: broken percent-encoding and dot segments, as a client could write them.
      { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%80", "%00", "..", ".", "%2e%2e", "a%2Fb", "%F0%9F%98") },
    );
  const hostileQuery = (name: string, schema: Json): fc.Arbitrary<string | undefined> =>
    name === "cursor" ? hostileCursor : fc.oneof({ weight: 5, arbitrary: hostileArbitrary(schema).map(inUrl) }, { weight: 1, arbitrary: fc.constant(undefined) });

  const base = fc.record({
    segments: fc.tuple(...pathParams.map((p) => validSegment(p.name, schemaAt(p.schemaPointer)))),
    query: fc.tuple(...queryParams.map((p) => validQuery(p.name, schemaAt(p.schemaPointer), p.required))),
    extra: fc.constant<[string, string][]>([]),
    body: bodySchema ? validArbitrary(bodySchema).map((v): { body?: string; contentType?: string } => ({ body: jsonText(v) })) : fc.constant<{ body?: string; contentType?: string }>({}),
  });
  type Parts = typeof base extends fc.Arbitrary<infer P> ? P : never;
  const replace = <T>(list: T[], i: number, v: T) => list.map((x, j) => (j === i ? v : x));

  const mutations: { weight: number; arbitrary: fc.Arbitrary<Parts> }[] = [{ weight: 2, arbitrary: base }];
  if (pathParams.length) {
    mutations.push({
      weight: 3,
      arbitrary: fc.tuple(base, fc.nat({ max: pathParams.length - 1 })).chain(([parts, i]) => hostileSegment(schemaAt(pathParams[i]!.schemaPointer)).map((v) => ({ ...parts, segments: replace(parts.segments, i, v) }))),
    });
  }
  if (queryParams.length) {
    mutations.push({
      weight: 5,
      arbitrary: fc.tuple(base, fc.nat({ max: queryParams.length - 1 })).chain(([parts, i]) => hostileQuery(queryParams[i]!.name, schemaAt(queryParams[i]!.schemaPointer)).map((v) => ({ ...parts, query: replace(parts.query, i, v) }))),
    });
  }
  // An unknown parameter, or a known one twice.
  mutations.push({
    weight: 1,
    arbitrary: fc.tuple(base, fc.constantFrom("extra", "__proto__", "constructor", "", "a\u0000", ...queryParams.map((p) => p.name)), hostileString(16).map(inUrl)).map(([parts, k, v]) => ({ ...parts, extra: [[k, v]] as [string, string][] })),
  });
  if (bodySchema) {
    mutations.push(
      { weight: 5, arbitrary: fc.tuple(base, mutatedObject(bodySchema)).map(([parts, v]) => ({ ...parts, body: { body: jsonText(v) } })) },
      {
        weight: 2,
        arbitrary: fc.tuple(
          base,
          fc.oneof(
            wrongType.map((v) => ({ body: jsonText(v) })),
            fc.constantFrom("{", "[", '{"a":', "nul", "\u0000", '{"value":"\\ud800"}', "[".repeat(5000) + "]".repeat(5000), '{"__proto__":{"x":1}}').map((b) => ({ body: b })),
            fc.constant({}),
            validArbitrary(bodySchema).map((v) => ({ body: jsonText(v), contentType: "text/plain" })),
          ),
        ).map(([parts, body]) => ({ ...parts, body })),
      },
    );
  } else if (op.method !== "GET") {
    // fetch cannot send a body with GET; other methods get an unexpected one.
    mutations.push({ weight: 1, arbitrary: fc.tuple(base, wrongType).map(([parts, v]) => ({ ...parts, body: { body: jsonText(v) } })) });
  }

  const auth = fc.oneof(
    { weight: 30, arbitrary: fc.constant("owner" as const) },
    { weight: 1, arbitrary: fc.constantFrom("admin" as const, "operator" as const, "viewer" as const, "auditor" as const, "none" as const, "garbage" as const) },
  );

  return fc.tuple(fc.oneof(...mutations), auth).map(([parts, auth]) => {
    let url = op.path;
    pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, parts.segments[i]!)));
    const pairs: [string, string][] = [];
    queryParams.forEach((p, i) => parts.query[i] !== undefined && pairs.push([p.name, parts.query[i]!]));
    pairs.push(...parts.extra);
    if (pairs.length) url += `?${new URLSearchParams(pairs).toString()}`;
    return { method: op.method, url, ...parts.body, auth };
  });
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
