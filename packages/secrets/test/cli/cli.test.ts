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

  describe("bad files", () => {
    /** The standard monorepo plus a workspace package `mailer` (declaring SMTP_PASSWORD) that app depends on. */
    function withMailer() {
      const app = makeMonorepo();
      const pkg = JSON.parse(app.read("packages/app/package.json"));
      app.write("packages/app/package.json", { ...pkg, dependencies: { ...pkg.dependencies, mailer: "workspace:*" } });
      app.write("packages/mailer/package.json", { name: "mailer" });
      app.write("shared/mailer.schema.json", { properties: { SMTP_PASSWORD: { description: "SMTP password for outgoing mail" } } });
      app.link("packages/app/node_modules/mailer", "packages/mailer");
      return app;
    }

    it("generate reads a schema through a symlink", () => {
      const app = withMailer();
      fs.symlinkSync("../../shared/mailer.schema.json", app.at("packages/mailer/secrets.schema.json"));
      expect(run(app.root, "generate", "--cwd", "packages/app")).toMatchObject({ status: 0, stderr: "" });
      expect(app.read("packages/app/secrets.ts")).toContain("SMTP_PASSWORD: string;");
    });

    it("generate refuses a dangling secrets.schema.json link instead of dropping its secrets", () => {
      const app = withMailer();
      fs.symlinkSync("../../shared/gone.schema.json", app.at("packages/mailer/secrets.schema.json"));
      const result = run(app.root, "generate", "--cwd", "packages/app");
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        "keyward-secrets: not found:\n  packages/mailer/secrets.schema.json: is a symbolic link to ../../shared/gone.schema.json, which does not exist\n    fix: point the link at a file that exists (ln -sfn TARGET LINK), or remove the link\n",
      );
      expect(fs.existsSync(app.at("packages/app/secrets.ts"))).toBe(false);
      expect(fs.existsSync(app.at("packages/app/secrets.schema.combined.json"))).toBe(false);
      // check and --all do not pass over it either.
      expect(run(app.root, "check", "--cwd", "packages/app").status).toBe(1);
      expect(run(app.root, "generate", "--all").stderr).toContain("packages/mailer/secrets.schema.json: is a symbolic link to");
    });

    it("validate and generate report a looping link without a stack trace", () => {
      const app = withMailer();
      fs.symlinkSync("secrets.schema.json", app.at("packages/mailer/secrets.schema.json"));
      const validate = run(app.root, "validate", "packages/mailer/secrets.schema.json");
      expect(validate).toMatchObject({ status: 1, stdout: "" });
      expect(validate.stderr).toBe(
        "cannot use file:\n  packages/mailer/secrets.schema.json: is a symbolic link that loops back on itself (secrets.schema.json -> secrets.schema.json)\n    fix: point the link at a real file, or remove it\n",
      );
      const generate = run(app.root, "generate", "--cwd", "packages/app");
      expect(generate.status).toBe(1);
      expect(generate.stderr).toContain("packages/mailer/secrets.schema.json: is a symbolic link that loops back on itself");
      expectNoStack(generate.stderr);
    });

    it("names a looping node_modules link rather than asking for pnpm install", () => {
      const app = makeMonorepo();
      fs.rmSync(app.at("node_modules/third-party"), { recursive: true });
      fs.symlinkSync("third-party", app.at("node_modules/third-party"));
      const result = run(app.root, "generate", "--cwd", "packages/app");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("app depends on third-party, but ../../node_modules/third-party is a symbolic link that loops back on itself (third-party -> third-party)");
      expect(result.stderr).not.toContain("not installed");
      expectNoStack(result.stderr);
    });

    it("validate reports a directory and keeps checking the other files", () => {
      fs.mkdirSync(repo.at("adir.json"), { recursive: true });
      const result = run(repo.root, "validate", "adir.json", "packages/lib/secrets.schema.json");
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^ok packages\/lib\/secrets\.schema\.json/);
      expect(result.stderr).toBe("cannot use file:\n  adir.json: is a directory, not a file\n    fix: pass the JSON file itself, or remove the directory\n");
    });

    it("validate reports absurd nesting at its position without a stack trace", () => {
      repo.write("deep.json", "[".repeat(200_000));
      const result = run(repo.root, "validate", "deep.json");
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        "malformed JSON:\n  deep.json:1:257: nested too deeply (more than 256 levels of { and [)\n    fix: a schema or package.json needs only a few levels: look for a runaway or generated file\n",
      );
    });

    it("validate rejects a secret declared twice", () => {
      repo.write("dup.json", '{"properties":{"API_KEY":{"description":"old"},"API_KEY":{"description":"new"}}}');
      const result = run(repo.root, "validate", "dup.json");
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("invalid secrets schema:\n  dup.json:1:48 at /properties/API_KEY: \"API_KEY\" appears twice in the same object (first at line 1, column 16)");
    });

    it("validate rejects names and descriptions the service would refuse", () => {
      repo.write("limits.json", { properties: { ["K".repeat(129)]: { description: "x" }, BELL: { description: "ring\u0007" }, LONG: { description: "d".repeat(1001) } } });
      const result = run(repo.root, "validate", "limits.json");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("invalid secrets schema (3 problems):");
      expect(result.stderr).toContain('"description" of BELL contains a control character (U+0007) at position 4');
      expect(result.stderr).toContain('"description" of LONG is 1001 characters long; the Keyward service accepts at most 1000');
      expect(result.stderr).toContain(`secret name "${"K".repeat(40)}..." is 129 characters long; the Keyward service accepts at most 128`);
    });

    it("generate writes nothing when one target is a directory", () => {
      const app = makeMonorepo();
      fs.mkdirSync(app.at("packages/app/secrets.ts"));
      const result = run(app.root, "generate", "--cwd", "packages/app");
      expect(result).toMatchObject({ status: 1, stdout: "" });
      expect(result.stderr).toBe("keyward-secrets: cannot use file:\n  packages/app/secrets.ts: is a directory, not a file\n    fix: move or remove the directory: keyward-secrets writes a file at this path\n");
      expect(fs.existsSync(app.at("packages/app/secrets.schema.combined.json"))).toBe(false);
      const check = run(app.root, "check", "--cwd", "packages/app");
      expect(check.status).toBe(1);
      expectNoStack(check.stderr);
    });

    it("generate --all writes nothing when any package's target is a directory", () => {
      const app = makeMonorepo();
      fs.mkdirSync(app.at("packages/lib/secrets.ts"));
      expect(run(app.root, "generate", "--all").status).toBe(1);
      expect(fs.existsSync(app.at("packages/app/secrets.ts"))).toBe(false);
      expect(fs.existsSync(app.at("packages/app/secrets.schema.combined.json"))).toBe(false);
      expect(fs.existsSync(app.at("packages/lib/secrets.schema.combined.json"))).toBe(false);
    });
  });

  it.each([["--help"], ["-h"], ["help"], []])("%j prints usage with examples", (...args) => {
    const result = run(repo.root, ...args);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage:\n  keyward-secrets generate [--cwd DIR] [--all]");
    expect(result.stdout).toContain("Examples:");
  });

  it.each([
    [["deploy"], 'unknown command "deploy"; commands are generate, check, print, validate, help'],
    [["generate", "--force"], "unknown flag --force (see --help for the flags)"],
    [["print", "--all"], "print does not take --all"],
    [["validate"], "validate needs at least one file"],
    [["check", "packages/app"], 'unexpected argument "packages/app" (use --cwd DIR to choose the package)'],
    [["generate", "--cwd"], "--cwd needs a value"],
    [["generate", "--al"], "unknown flag --al (see --help for the flags)"],
    [["generate", "--all=yes"], "--all takes no value"],
    [["generate", "--cwd", "-x"], "--cwd needs a value"],
  ])("%j is a usage error (exit 2)", (args, message) => {
    const result = run(repo.root, ...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Run keyward-secrets --help for usage.");
    expectNoStack(result.stderr);
  });
});
