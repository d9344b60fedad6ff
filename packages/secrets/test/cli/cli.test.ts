import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeMonorepo, type Tree } from "../fixtures/tree.js";
import { buildCli, removeCliBuild } from "./build-cli.js";

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(removeCliBuild);

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Expected failures print a message, never a stack trace. */
function expectNoStack(text: string) {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe("keyward-secrets CLI", () => {
  let repo: Tree;
  beforeAll(() => {
    repo = makeMonorepo();
  });

  it("generate writes both files and says what it wrote", () => {
    const result = run(repo.root, "generate", "--cwd", "packages/app");
    expect(result).toMatchObject({ status: 0, stderr: "" });
    expect(result.stdout).toBe("wrote packages/app/secrets.schema.combined.json\nwrote packages/app/secrets.ts\n  4 secrets from 3 schema files\n");
    expect(repo.read("packages/app/secrets.ts")).toContain("export interface Secrets {");
    expect(JSON.parse(repo.read("packages/app/secrets.schema.combined.json")).properties.OPENAI_API_KEY["x-keyward"].source).toBe("third-party");
  });

  it("check passes when up to date, run from inside the package", () => {
    repo.write("packages/app/src/index.ts", "");
    expect(run(repo.at("packages/app/src"), "check")).toMatchObject({ status: 0, stdout: "secrets files are up to date (1 package)\n" });
  });

  it("generate --all covers every workspace package with secrets in its graph", () => {
    const result = run(repo.root, "generate", "--all");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("unchanged packages/app/secrets.ts");
    expect(result.stdout).toContain("wrote packages/lib/secrets.ts");
    expect(run(repo.root, "check", "--all")).toMatchObject({ status: 0, stdout: "secrets files are up to date (2 packages)\n" });
  });

  it("check exits 1 naming the stale files once a dependency's schema changes", () => {
    const lib = JSON.parse(repo.read("packages/lib/secrets.schema.json"));
    lib.properties.REDIS_URL = { type: "string", description: "Redis connection string", "x-keyward": { type: "database-url" } };
    repo.write("packages/lib/secrets.schema.json", lib);

    const app = run(repo.root, "check", "--cwd", "packages/app");
    expect(app.status).toBe(1);
    expect(app.stderr).toMatch(/^stale: packages\/app\/secrets\.schema\.combined\.json\n {2}\+\d+\/-\d+ lines; first difference at line \d+:\n/);
    expect(app.stderr).toContain("stale: packages/app/secrets.ts\n");
    expect(app.stderr).toContain('  +12/-0 lines; first difference at line 27:\n  +     "REDIS_URL": {\n');
    expect(app.stderr.trimEnd().endsWith("run: keyward-secrets generate")).toBe(true);

    const all = run(repo.root, "check", "--all");
    expect(all.status).toBe(1);
    expect(all.stderr).toContain("stale: packages/lib/secrets.ts");
    expect(all.stderr).toContain("run: keyward-secrets generate --all");

    fs.rmSync(repo.at("packages/lib/secrets.ts"));
    expect(run(repo.root, "check", "--all").stderr).toContain("missing: packages/lib/secrets.ts\n  missing; generate has not been run\n");

    expect(run(repo.root, "generate", "--all").status).toBe(0);
    expect(run(repo.root, "check", "--all").status).toBe(0);
  });

  it("print lists the secrets with their sources", () => {
    const result = run(repo.root, "print", "--cwd", "packages/app");
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+OPTIONAL\s+ROTATION\s+SOURCE\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 5))).toEqual([
      ["DATABASE_URL", "database-url", "no", "30d", "lib"],
      ["OPENAI_API_KEY", "llm-api-key", "no", "90d", "third-party"],
      ["REDIS_URL", "database-url", "no", "90d", "lib"],
      ["SENTRY_DSN", "generic", "yes", "365d", "app"],
      ["STRIPE_API_KEY", "api-key", "no", "90d", "app"],
    ]);
  });

  it("validate checks files and reports file, pointer and fix", () => {
    expect(run(repo.root, "validate", "packages/app/secrets.schema.json", "packages/lib/secrets.schema.json")).toMatchObject({
      status: 0,
      stdout: "ok packages/app/secrets.schema.json (2 secrets)\nok packages/lib/secrets.schema.json (2 secrets)\n",
    });
    repo.write("bad.schema.json", { properties: { STRIPE_API_KEY: { type: "string" } } });
    const bad = run(repo.root, "validate", "bad.schema.json");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('invalid secrets schema:\n  bad.schema.json at /properties/STRIPE_API_KEY/description: secret STRIPE_API_KEY has no "description"\n    fix: add "description": "what STRIPE_API_KEY is for and where it comes from", e.g. "Stripe API key for charging cards"\n');
  });

  it("fails with exit 1 and no stack trace on a broken schema in the graph", () => {
    const broken = makeMonorepo();
    broken.write("node_modules/third-party/secrets.schema.json", '{ "properties": { "X_KEY": { "description": "x" }, } }');
    const result = run(broken.root, "generate", "--cwd", "packages/app");
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("keyward-secrets: malformed JSON:\n  node_modules/third-party/secrets.schema.json:1:52: trailing comma before }\n    fix: remove the comma after the last property\n");
    expectNoStack(result.stderr);
    expect(fs.existsSync(broken.at("packages/app/secrets.ts"))).toBe(false);
  });

  it("names a bad package.json \"keyward\" config with exit 1, writes nothing, and writes the client once it is fixed", () => {
    const app = makeMonorepo();
    const pkg = JSON.parse(app.read("packages/app/package.json"));
    app.write("packages/app/package.json", { ...pkg, keyward: { environment: "Prod" } });
    const bad = run(app.root, "generate", "--cwd", "packages/app");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("keyward-secrets: invalid keyward config");
    expect(bad.stderr).toContain('packages/app/package.json at /keyward/environment: "keyward.environment" must be an environment name');
    expectNoStack(bad.stderr);
    expect(fs.existsSync(app.at("packages/app/secrets.ts"))).toBe(false);
    app.write("packages/app/package.json", { ...pkg, keyward: { environment: "production" } });
    expect(run(app.root, "generate", "--cwd", "packages/app").status).toBe(0);
    expect(app.read("packages/app/secrets.ts")).toContain('export const defaultEnvironment = "production";');
    expect(run(app.root, "check", "--cwd", "packages/app").status).toBe(0);
  });

  it.each([["--help"], ["-h"], ["help"], []])("%j prints usage with examples", (...args) => {
    const result = run(repo.root, ...args);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage:\n  keyward-secrets generate [--cwd DIR] [--all]");
    expect(result.stdout).toContain("Examples:");
  });

  it.each([
    [["deploy"], 'unknown command "deploy"; commands are generate, check, print, validate, help'],
    [["generate", "--force"], "unknown option --force"],
    [["print", "--all"], "print does not take --all"],
    [["validate"], "validate needs at least one file"],
    [["check", "packages/app"], 'unexpected argument "packages/app" (use --cwd DIR to choose the package)'],
    [["generate", "--cwd"], "argument missing"],
  ])("%j is a usage error (exit 2)", (args, message) => {
    const result = run(repo.root, ...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Run keyward-secrets --help for usage.");
    expectNoStack(result.stderr);
  });
});
