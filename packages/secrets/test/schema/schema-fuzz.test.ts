// Property tests (fast-check) of loadSchemaFile and combineSchemaGraph from the file system: any bytes
// or JSON give a SchemaError naming the file (and a pointer into the document), never another error;
// a valid schema loads as written and combines with every default filled in. json-fuzz.test.ts mutates
// a valid document's text; this file covers arbitrary bytes, arbitrary JSON values and package.json.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combineSchemaGraph, DEFAULT_REMINDER_DAYS, DEFAULT_ROTATION_DAYS, KEYWARD_SECRET_TYPES, loadSchemaFile, SchemaError, STRING_FORMATS, type SecretDefinition } from "../../src/schema/index.js";
import { pointerTokens } from "../../src/schema/pointer.js";
import { makeTree } from "../fixtures/tree.js";

const SEED = 20_240_611;
const tree = makeTree({ "app/package.json": { name: "app", version: "1.0.0" } });
const schemaFile = tree.at("app/secrets.schema.json");

/** Runs `fn`; a SchemaError is returned, anything else thrown (failing the property). */
function attempt<T>(fn: () => T): T | SchemaError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SchemaError) return error;
    throw error;
  }
}

function checkIssues(error: SchemaError, files: readonly string[]) {
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(files).toContain(issue.file);
    expect(issue.pointer === "" || issue.pointer.startsWith("/"), issue.pointer).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.fix.length).toBeGreaterThan(0);
    if (error.code === "invalid_json") expect(issue.line).toBeGreaterThanOrEqual(1);
  }
  expect(error.message).toContain(error.issues[0]!.file);
}

/** Whether every token of `pointer` but the last leads into `doc` (the last may name a missing member). */
function leadsInto(doc: unknown, pointer: string): boolean {
  let node = doc;
  for (const token of pointerTokens(pointer).slice(0, -1)) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, token)) return false;
    node = (node as Record<string, unknown>)[token];
  }
  return true;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const nameArb = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/);
const descriptionArb = fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }).filter((d) => /\S/.test(d) && !CONTROL.test(d));
const secretArb: fc.Arbitrary<SecretDefinition> = fc
  .record(
    {
      type: fc.constant("string" as const),
      description: descriptionArb,
      pattern: fc.constantFrom("^sk_", "^[a-z0-9]+$", "\\d", "^(live|test)_[A-Za-z0-9]{8,}$"),
      lengths: fc.tuple(fc.nat(50), fc.nat(50)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
      format: fc.constantFrom(...STRING_FORMATS),
      enum: fc.uniqueArray(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 4 }),
      "x-keyward": fc.record({ type: fc.constantFrom(...KEYWARD_SECRET_TYPES), rotationDays: fc.integer({ min: 1, max: 3650 }), reminderDays: fc.integer({ min: 1, max: 365 }), optional: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: ["description"] },
  )
  .map(({ lengths, ...def }) => {
    // An enum beside a pattern or lengths must satisfy them (else it is refused as never acceptable): keep one of the two.
    const out: Record<string, unknown> = { ...def };
    if (out.enum !== undefined) delete out.pattern;
    else if (lengths) [out.minLength, out.maxLength] = lengths;
    return out as unknown as SecretDefinition;
  });
const schemaArb = fc.record(
  { $schema: fc.constant("https://json-schema.org/draft/2020-12/schema"), title: fc.string({ maxLength: 10 }), type: fc.constant("object" as const), properties: fc.dictionary(nameArb, secretArb, { maxKeys: 5 }), additionalProperties: fc.constant(false as const) },
  { requiredKeys: ["properties"] },
);

/** Documents that are often nearly a schema: right keys with wrong values, wrong keys, anything. */
const nearlySchema = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ properties: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.oneof(nameArb, fc.string({ maxLength: 6 })), fc.oneof(secretArb, fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.constantFrom("description", "pattern", "minLength", "maxLength", "enum", "format", "x-keyward", "type", "~a/b"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })), { maxKeys: 4 })) }, { requiredKeys: [] }),
  schemaArb.chain((s) => fc.dictionary(fc.constantFrom("type", "additionalProperties", "$schema", "required", "~0", "a/b"), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }).map((extra) => ({ ...s, ...extra }))),
);

describe("loadSchemaFile from the file system", () => {
  it("gives a schema or a SchemaError naming the file for any bytes (invalid UTF-8, a BOM, NULs included)", () => {
    const valid = Buffer.from(JSON.stringify({ properties: { A_KEY: { description: "a key" } } }));
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.nat(valid.length), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, b]) => Buffer.concat([valid.subarray(0, at), Buffer.from(b), valid.subarray(at)])),
      fc.constantFrom(Buffer.from([0xef, 0xbb, 0xbf]), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid]), Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), Buffer.alloc(0)),
    );
    fc.assert(
      fc.property(bytes, (content) => {
        fs.writeFileSync(schemaFile, content);
        const result = attempt(() => loadSchemaFile(schemaFile));
        if (result instanceof SchemaError) checkIssues(result, [schemaFile]);
        else expect(typeof result.properties).toBe("object");
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("gives a SchemaError whose pointers lead into the document for any JSON that is not a valid schema", () => {
    fc.assert(
      fc.property(nearlySchema, (doc) => {
        tree.write("app/secrets.schema.json", JSON.stringify(doc));
        const result = attempt(() => loadSchemaFile(schemaFile));
        if (!(result instanceof SchemaError)) return;
        checkIssues(result, [schemaFile]);
        for (const issue of result.issues) expect(leadsInto(doc, issue.pointer), `${issue.pointer} in ${JSON.stringify(doc)}`).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("loads a valid schema as written, and combines it with every default filled in", () => {
    fc.assert(
      fc.property(schemaArb, fc.boolean(), (schema, pretty) => {
        tree.write("app/secrets.schema.json", JSON.stringify(schema, null, pretty ? 2 : undefined));
        const loaded = attempt(() => loadSchemaFile(schemaFile));
        if (loaded instanceof SchemaError) throw new Error(`${loaded.message}\n${JSON.stringify(schema)}`);
        expect(loaded).toEqual(schema);
        const { schema: combined, schemaFiles } = combineSchemaGraph(tree.at("app"));
        expect(schemaFiles).toEqual([schemaFile]);
        expect(Object.keys(combined.properties)).toEqual(Object.keys(schema.properties).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        for (const [name, def] of Object.entries(schema.properties)) {
          const ext = def["x-keyward"] ?? {};
          expect(combined.properties[name]).toEqual({
            ...def,
            type: "string",
            "x-keyward": { type: ext.type ?? "generic", rotationDays: ext.rotationDays ?? DEFAULT_ROTATION_DAYS, reminderDays: ext.reminderDays ?? DEFAULT_REMINDER_DAYS, optional: ext.optional ?? false, source: "app" },
          });
        }
        expect(combined.required).toEqual(Object.keys(combined.properties).filter((n) => !schema.properties[n]!["x-keyward"]?.optional));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe("combineSchemaGraph over arbitrary package.json files", () => {
  it("combines, or throws a SchemaError naming a file of the tree", () => {
    const depTree = makeTree({ "packages/lib/secrets.schema.json": { properties: { LIB_KEY: { description: "the lib's key" } } } });
    const manifest = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
      fc
        .record({ name: fc.oneof(fc.constantFrom("app", "lib", "@scope/app"), fc.jsonValue({ maxDepth: 1 })), dependencies: fc.oneof(fc.dictionary(fc.constantFrom("lib", "missing", "app", "__proto__", "", "../x"), fc.oneof(fc.constantFrom("workspace:*", "link:../lib", "file:../../packages/lib", "^1.0.0", "link:"), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 })), peerDependencies: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })
        .map((v) => JSON.stringify(v)),
    );
    const files = [depTree.at("packages/app/package.json"), depTree.at("packages/lib/package.json"), depTree.at("packages/lib/secrets.schema.json"), depTree.at("packages/app/secrets.schema.json")];
    fc.assert(
      fc.property(manifest, manifest, fc.oneof(fc.constant(undefined), nearlySchema.map((d) => JSON.stringify(d))), (app, lib, appSchema) => {
        depTree.write("packages/app/package.json", app);
        depTree.write("packages/lib/package.json", lib);
        if (appSchema === undefined) fs.rmSync(depTree.at("packages/app/secrets.schema.json"), { force: true });
        else depTree.write("packages/app/secrets.schema.json", appSchema);
        const result = attempt(() => combineSchemaGraph(depTree.at("packages/app")));
        if (result instanceof SchemaError) {
          for (const issue of result.issues) expect(issue.file.startsWith(depTree.root + path.sep) || files.includes(issue.file), issue.file).toBe(true);
          checkIssues(result, [...files, ...result.issues.map((i) => i.file).filter((f) => f.startsWith(depTree.root + path.sep))]);
        } else {
          expect(result.packages[0]!.dir).toBe(depTree.at("packages/app"));
          for (const file of result.schemaFiles) expect(files).toContain(file);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
