import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { combineSchemas, generateSecretsFiles, loadSchemaFile, SchemaError } from "../../src/index.js";

const CLI = path.resolve(import.meta.dirname, "../../dist/cli.js");

function monorepo() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kw-secrets-"));
  const write = (rel: string, data: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), typeof data === "string" ? data : JSON.stringify(data, null, 2));
  };
  write("packages/lib/package.json", { name: "lib" });
  write("packages/lib/secrets.schema.json", { type: "object", properties: { DATABASE_URL: { type: "string", description: "Database connection string", "x-keyward": { type: "database-url" } } } });
  write("packages/app/package.json", { name: "app", dependencies: { lib: "workspace:*" } });
  write("packages/app/secrets.schema.json", { type: "object", properties: { STRIPE_API_KEY: { type: "string", description: "Stripe API key" } } });
  fs.mkdirSync(path.join(root, "packages/app/node_modules"), { recursive: true });
  fs.symlinkSync(path.join(root, "packages/lib"), path.join(root, "packages/app/node_modules/lib"));
  return { root, app: path.join(root, "packages/app"), write };
}

describe("schema files", () => {
  const bad = (content: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kw-schema-")), "secrets.schema.json");
    fs.writeFileSync(file, content);
    try {
      loadSchemaFile(file);
    } catch (e) {
      expect(e).toBeInstanceOf(SchemaError);
      expect((e as Error).message).toContain(file);
      return e as SchemaError;
    }
    throw new Error("expected a SchemaError");
  };

  it("names the file, pointer and fix for each bad input", () => {
    expect(bad("{ nope").message).toMatch(/not valid JSON/);
    expect(bad(JSON.stringify({ properties: { A_KEY: { type: "string" } } }))).toMatchObject({ pointer: "/properties/A_KEY/description" });
    expect(bad(JSON.stringify({ properties: { A_KEY: { description: "x", pattern: "([" } } }))).toMatchObject({ pointer: "/properties/A_KEY/pattern" });
    expect(bad(JSON.stringify({ properties: { "lower-case": { description: "x" } } })).fix).toMatch(/STRIPE_API_KEY/);
  });
});

describe("combine and generate", () => {
  it("combines the package with its workspace dependency, tagged with sources, sorted", () => {
    const { app } = monorepo();
    const combined = combineSchemas(app);
    expect(Object.keys(combined.properties)).toEqual(["DATABASE_URL", "STRIPE_API_KEY"]);
    expect(combined.properties.DATABASE_URL?.["x-keyward"]).toMatchObject({ source: "lib", type: "database-url", rotationDays: 90, optional: false });
    expect(combined.properties.STRIPE_API_KEY?.["x-keyward"]?.source).toBe("app");
  });

  it("fails on a conflicting duplicate, naming both sources", () => {
    const { app, write } = monorepo();
    write("packages/app/secrets.schema.json", { properties: { DATABASE_URL: { type: "string", description: "another meaning" } } });
    expect(() => combineSchemas(app)).toThrow(/DATABASE_URL is declared differently by app and lib/);
  });

  it("generates deterministic files with the typed interface and the schema const", async () => {
    const { app } = monorepo();
    const [a, b] = [await generateSecretsFiles(app), await generateSecretsFiles(app)];
    expect(a).toEqual(b);
    const ts = a.find((f) => f.path.endsWith("secrets.ts"))!.content;
    expect(ts).toContain("export interface Secrets");
    expect(ts).toMatch(/STRIPE_API_KEY: string;/);
    expect(ts).toContain("export const secretsSchema");
  });

  it("the CLI generates, then check catches a stale file", () => {
    const { app, write } = monorepo();
    expect(execFileSync("node", [CLI, "generate", "--cwd", app]).toString()).toContain("secrets.ts");
    expect(spawnSync("node", [CLI, "check", "--cwd", app]).status).toBe(0);
    write("packages/lib/secrets.schema.json", { properties: { DATABASE_URL: { type: "string", description: "changed" } } });
    const stale = spawnSync("node", [CLI, "check", "--cwd", app]);
    expect(stale.status).toBe(1);
    expect(stale.stderr.toString()).toMatch(/stale: .*secrets\.schema\.combined\.json/);
    expect(spawnSync("node", [CLI, "bogus"]).status).toBe(2);
    expect(execFileSync("node", [CLI, "--help"]).toString()).toContain("generate");
  });
});
