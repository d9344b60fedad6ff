import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { combineSchemaGraph, combineSchemas, mergeSchemas, walkPackageGraph } from "../../src/schema/index.js";
import { renderCombinedJson } from "../../src/codegen/index.js";
import { expectSchemaError } from "../fixtures/errors.js";
import { makeMonorepo, makeTree, secret } from "../fixtures/tree.js";

describe("combineSchemas", () => {
  it("combines a package, its workspace dependency and an installed third-party package", () => {
    const repo = makeMonorepo();
    const result = combineSchemaGraph(repo.at("packages/app"));
    expect(result.schemaFiles).toEqual([repo.at("packages/app/secrets.schema.json"), repo.at("packages/lib/secrets.schema.json"), repo.at("node_modules/third-party/secrets.schema.json")]);
    expect(result.schema).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      additionalProperties: false,
      properties: {
        DATABASE_URL: { description: "PostgreSQL connection string", type: "string", "x-keyward": { optional: false, reminderDays: 14, rotationDays: 30, source: "lib", type: "database-url" } },
        OPENAI_API_KEY: { description: "OpenAI API key used by third-party", type: "string", "x-keyward": { optional: false, reminderDays: 14, rotationDays: 90, source: "third-party", type: "llm-api-key" } },
        SENTRY_DSN: { description: "Sentry DSN for error reports", format: "uri", type: "string", "x-keyward": { optional: true, reminderDays: 14, rotationDays: 365, source: "app", type: "generic" } },
        STRIPE_API_KEY: { description: "Stripe API key for charging cards", pattern: "^sk_(live|test)_[A-Za-z0-9]+$", type: "string", "x-keyward": { optional: false, reminderDays: 14, rotationDays: 90, source: "app", type: "api-key" } },
      },
      required: ["DATABASE_URL", "OPENAI_API_KEY", "STRIPE_API_KEY"],
      type: "object",
    });
  });

  it("does not walk devDependencies", () => {
    const repo = makeMonorepo();
    expect(Object.keys(combineSchemas(repo.at("packages/app")).properties)).not.toContain("DEV_ONLY_TOKEN");
    expect(walkPackageGraph(repo.at("packages/app")).map((p) => p.name)).toEqual(["app", "lib", "third-party"]);
  });

  it("finds a workspace dependency by name when it is not linked into node_modules yet", () => {
    const repo = makeMonorepo();
    fs.rmSync(repo.at("packages/app/node_modules"), { recursive: true });
    expect(combineSchemas(repo.at("packages/app")).properties.DATABASE_URL?.["x-keyward"].source).toBe("lib");
  });

  it("follows a workspace: dependency's node_modules link when there is no workspace file", () => {
    const repo = makeMonorepo();
    fs.rmSync(repo.at("pnpm-workspace.yaml"));
    expect(combineSchemas(repo.at("packages/app")).properties.DATABASE_URL?.["x-keyward"].source).toBe("lib");
  });

  it("resolves installed packages like Node: nearest node_modules first, symlinks followed, then their own dependencies", () => {
    const repo = makeTree({
      "package.json": { name: "app", dependencies: { sdk: "^1", "@scope/plugin": "^2", linked: "^1" } },
      // A nested copy shadows the root one for the package that depends on it.
      "node_modules/sdk/package.json": { name: "sdk", dependencies: { core: "^2" } },
      "node_modules/sdk/node_modules/core/package.json": { name: "core", version: "2.0.0" },
      "node_modules/sdk/node_modules/core/secrets.schema.json": { properties: { CORE_V2_KEY: secret("core v2") } },
      "node_modules/core/package.json": { name: "core", version: "1.0.0" },
      "node_modules/core/secrets.schema.json": { properties: { CORE_V1_KEY: secret("core v1") } },
      "node_modules/@scope/plugin/package.json": { name: "@scope/plugin", optionalDependencies: { "not-installed": "^1" }, peerDependencies: { core: "*" } },
      "store/linked@1/node_modules/linked/package.json": { name: "linked" },
      "store/linked@1/node_modules/linked/secrets.schema.json": { properties: { LINKED_KEY: secret("from a pnpm-style store") } },
    });
    repo.link("node_modules/linked", "store/linked@1/node_modules/linked");
    const combined = combineSchemas(repo.root);
    expect(Object.keys(combined.properties)).toEqual(["CORE_V1_KEY", "CORE_V2_KEY", "LINKED_KEY"]);
    expect(combined.properties.CORE_V1_KEY?.["x-keyward"].source).toBe("core");
  });

  it("walks the dependencies of a package that has no schema", () => {
    const repo = makeTree({
      "package.json": { name: "app", dependencies: { middle: "1" } },
      "node_modules/middle/package.json": { name: "middle", dependencies: { leaf: "1" } },
      "node_modules/leaf/package.json": { name: "leaf" },
      "node_modules/leaf/secrets.schema.json": { properties: { LEAF_KEY: secret("leaf") } },
    });
    expect(combineSchemas(repo.root).properties.LEAF_KEY?.["x-keyward"].source).toBe("leaf");
  });

  it("gives an empty schema when nothing in the graph declares secrets", () => {
    const repo = makeTree({ "package.json": { name: "app" } });
    expect(combineSchemas(repo.root)).toEqual({ $schema: "https://json-schema.org/draft/2020-12/schema", additionalProperties: false, properties: {}, required: [], type: "object" });
  });

  it("is deterministic: byte-identical output, whatever the key order of the inputs", () => {
    const a = makeMonorepo();
    const first = renderCombinedJson(combineSchemas(a.at("packages/app")));
    expect(renderCombinedJson(combineSchemas(a.at("packages/app")))).toBe(first);

    // Same meaning, every object written in reverse key order (and dependencies too).
    const reverse = (v: unknown): unknown => (Array.isArray(v) ? v.map(reverse) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v);
    const b = makeMonorepo();
    for (const rel of ["packages/app/secrets.schema.json", "packages/lib/secrets.schema.json", "node_modules/third-party/secrets.schema.json", "packages/app/package.json"]) {
      b.write(rel, JSON.stringify(reverse(JSON.parse(b.read(rel))), null, 4));
    }
    expect(renderCombinedJson(combineSchemas(b.at("packages/app")))).toBe(first);
    expect(first.endsWith("}\n")).toBe(true);
    expect(first).toContain('\n  "properties": {\n    "DATABASE_URL": {\n      "description"');
  });

  it("merges identical duplicates, keeping the nearest package as the source", () => {
    const repo = makeMonorepo();
    // Same meaning as lib's declaration: defaults written out, keys in another order.
    repo.write("node_modules/third-party/secrets.schema.json", {
      properties: { DATABASE_URL: { "x-keyward": { optional: false, reminderDays: 14, rotationDays: 30, type: "database-url" }, description: "PostgreSQL connection string", type: "string" } },
    });
    repo.write("packages/app/secrets.schema.json", { properties: { DATABASE_URL: { description: "PostgreSQL connection string", "x-keyward": { type: "database-url", rotationDays: 30 } } } });
    const combined = combineSchemas(repo.at("packages/app"));
    expect(Object.keys(combined.properties)).toEqual(["DATABASE_URL"]);
    expect(combined.properties.DATABASE_URL?.["x-keyward"].source).toBe("app");
  });

  it("fails on a conflicting duplicate, naming the secret, both sources and what differs", () => {
    const repo = makeMonorepo();
    repo.write("node_modules/third-party/secrets.schema.json", { properties: { DATABASE_URL: secret("Another database", { "x-keyward": { type: "database-url" } }) } });
    const error = expectSchemaError(() => combineSchemas(repo.at("packages/app")), "conflict");
    expect(error.issues).toEqual([
      {
        file: repo.at("node_modules/third-party/secrets.schema.json"),
        pointer: "/properties/DATABASE_URL",
        message: "secret DATABASE_URL is declared differently by lib and third-party: they differ in description, x-keyward.rotationDays",
        fix: `make the two declarations identical (the other is ${repo.at("packages/lib/secrets.schema.json")} at /properties/DATABASE_URL), or rename one of them, e.g. THIRD_PARTY_DATABASE_URL`,
      },
    ]);
  });

  it("reports a dependency cycle among workspace packages, naming it", () => {
    const repo = makeTree({
      "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
      "package.json": { name: "root" },
      "packages/a/package.json": { name: "a", dependencies: { b: "workspace:*" } },
      "packages/b/package.json": { name: "b", peerDependencies: { c: "workspace:^" } },
      "packages/c/package.json": { name: "c", dependencies: { a: "workspace:*" } },
    });
    const error = expectSchemaError(() => combineSchemas(repo.at("packages/a")), "cycle");
    expect(error.issues).toEqual([
      { file: repo.at("packages/c/package.json"), pointer: "/dependencies/a", message: "dependency cycle: a -> b -> c -> a", fix: expect.stringMatching(/^break the cycle/) },
    ]);
    expect(error.message).toContain("a -> b -> c -> a");
  });

  it("tolerates a cycle entirely among installed third-party packages (pg -> pg-pool -> pg)", () => {
    const repo = makeTree({
      "package.json": { name: "app", dependencies: { pg: "8" } },
      "node_modules/pg/package.json": { name: "pg", dependencies: { "pg-pool": "3" } },
      "node_modules/pg-pool/package.json": { name: "pg-pool", peerDependencies: { pg: ">=8" } },
      "node_modules/pg-pool/secrets.schema.json": { properties: { PG_POOL_KEY: secret("x") } },
    });
    expect(Object.keys(combineSchemas(repo.root).properties)).toEqual(["PG_POOL_KEY"]);
  });

  it("reports a dependency that is not installed, and an unknown workspace package", () => {
    const repo = makeTree({ "package.json": { name: "app", dependencies: { "@scope/missing": "^1" } } });
    const missing = expectSchemaError(() => combineSchemas(repo.root), "not_found").issues[0]!;
    expect(missing).toMatchObject({ file: repo.at("package.json"), pointer: "/dependencies/@scope~1missing", message: "app depends on @scope/missing, which is not installed" });
    expect(missing.fix).toMatch(/pnpm install/);

    const ws = makeTree({ "pnpm-workspace.yaml": "packages: [packages/*]\n", "packages/app/package.json": { name: "app", dependencies: { nope: "workspace:*" } } });
    expect(expectSchemaError(() => combineSchemas(ws.at("packages/app")), "not_found").issues[0]!.message).toBe("app depends on nope (workspace:*), but no workspace package has that name");
  });

  it("reports a package directory without package.json, and a malformed package.json", () => {
    const empty = makeTree();
    expect(expectSchemaError(() => combineSchemas(empty.root), "not_found").issues[0]!.fix).toMatch(/--cwd/);
    const bad = makeTree({ "package.json": '{ "name": "app", }' });
    expect(expectSchemaError(() => combineSchemas(bad.root), "invalid_json").issues[0]).toMatchObject({ file: bad.at("package.json"), line: 1, column: 18 });
  });

  it("reports an invalid schema anywhere in the graph with its own file", () => {
    const repo = makeMonorepo();
    repo.write("packages/lib/secrets.schema.json", { properties: { DATABASE_URL: { type: "string" } } });
    expect(expectSchemaError(() => combineSchemas(repo.at("packages/app")), "invalid_schema").issues[0]).toMatchObject({ file: repo.at("packages/lib/secrets.schema.json"), pointer: "/properties/DATABASE_URL/description" });
  });
});

describe("mergeSchemas", () => {
  it("fills in the defaults and sorts", () => {
    const merged = mergeSchemas([{ source: "x", file: "/x/secrets.schema.json", schema: { properties: { Z_KEY: { description: "z", "x-keyward": { optional: true } }, A_KEY: { description: "a" } } } }]);
    expect(Object.keys(merged.properties)).toEqual(["A_KEY", "Z_KEY"]);
    expect(merged.properties.A_KEY).toEqual({ description: "a", type: "string", "x-keyward": { optional: false, reminderDays: 14, rotationDays: 90, source: "x", type: "generic" } });
    expect(merged.required).toEqual(["A_KEY"]);
  });
});
