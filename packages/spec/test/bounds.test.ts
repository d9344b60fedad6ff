import { describe, expect, it } from "vitest";
import { openapiDocument } from "../src/index.js";

// Every value a client sends is bounded by the spec, so the server (which validates with the spec)
// refuses what the database cannot hold before a query runs (issue #20).
type Json = Record<string, any>;
const doc = openapiDocument as unknown as Json;
const deref = (node: Json): Json => (typeof node?.$ref === "string" ? deref(node.$ref.slice(2).split("/").reduce((n: Json, p: string) => n[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc)) : node);

/** Every request-side schema node (parameters and JSON bodies, through $refs), with where it is. */
function requestSchemas(): { at: string; schema: Json }[] {
  const out: { at: string; schema: Json }[] = [];
  const seen = new Set<Json>();
  const walk = (node: Json, at: string) => {
    node = deref(node);
    if (!node || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    out.push({ at, schema: node });
    for (const [k, v] of Object.entries(node.properties ?? {})) walk(v as Json, `${at}.${k}`);
    if (node.items) walk(node.items, `${at}[]`);
    for (const key of ["oneOf", "anyOf", "allOf"]) (node[key] ?? []).forEach((s: Json, i: number) => walk(s, `${at}/${key}${i}`));
  };
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
      for (const p of [...((item as Json).parameters ?? []), ...(op.parameters ?? [])].map(deref)) walk(p.schema, `${method} ${path} ${p.in} ${p.name}`);
      const body = deref(op.requestBody ?? {}).content?.["application/json"]?.schema;
      if (body) walk(body, `${method} ${path} body`);
    }
  }
  return out;
}

const typesOf = (s: Json): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

describe("request bounds", () => {
  const schemas = requestSchemas();

  it("reaches every parameter and body", () => {
    expect(schemas.length).toBeGreaterThan(40);
  });

  it("gives every integer a minimum and a maximum within int64", () => {
    const ints = schemas.filter(({ schema }) => typesOf(schema).some((t) => t === "integer" || t === "number") && schema.const === undefined);
    expect(ints.length).toBeGreaterThan(3);
    for (const { at, schema } of ints) {
      expect(schema.minimum, at).toBeTypeOf("number");
      expect(schema.maximum, at).toBeTypeOf("number");
      expect(schema.maximum, at).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    }
  });

  it("gives every free string a maxLength, and every date-time the range 1970..9999", () => {
    for (const { at, schema } of schemas.filter(({ schema }) => typesOf(schema).includes("string") && !schema.enum && schema.const === undefined)) {
      expect(schema.maxLength, at).toBeTypeOf("number");
      if (schema.format === "date-time") expect(schema.pattern, at).toBe("^(19[7-9][0-9]|[2-9][0-9]{3})-");
    }
  });

  it("gives every string that reaches the database as text a pattern (a write-only value is stored encrypted)", () => {
    for (const { at, schema } of schemas.filter(({ schema }) => typesOf(schema).includes("string") && !schema.enum && schema.const === undefined && !schema.writeOnly)) {
      expect(schema.pattern, at).toBeTypeOf("string");
    }
  });

  it("closes every object body (no unknown fields)", () => {
    for (const { at, schema } of schemas.filter(({ schema }) => typesOf(schema).includes("object"))) expect(schema.additionalProperties, at).toBe(false);
  });
});
