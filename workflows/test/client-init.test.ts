import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { read, tmp, tree, workflow } from "./cli.js";

const PACKAGE = { name: "identity", version: "2.0.0", scripts: { start: "node index.js" }, dependencies: { express: "^5.0.0" } };

function app() {
  const dir = tmp("kw-wf-client-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(PACKAGE, null, 2) + "\n");
  return dir;
}
const init = (dir: string, ...args: string[]) => workflow(dir, "kickoff", "client/init", ...args);

describe("keyward-workflow kickoff client/init", () => {
  it("dry run: plans the client, the schema and the package.json edit, writes nothing", () => {
    const dir = app();
    const r = init(dir, "--name", "identity-service", "--dry-run");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/create\s+secrets-client\.ts/);
    expect(r.stdout).toMatch(/create\s+secrets\.schema\.json/);
    expect(r.stdout).toMatch(/update\s+package\.json/);
    expect(tree(dir)).toEqual(["package.json"]);
    expect(JSON.parse(read(dir, "package.json"))).toEqual(PACKAGE);
  });

  it("real run: wires the typed client into the app, keeping its package.json; a second run changes nothing", () => {
    const dir = app();
    const r = init(dir, "--name", "identity-service", "--keyward-link", "/opt/keyward/packages");
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(read(dir, "package.json"));
    expect(pkg).toEqual({
      ...PACKAGE,
      scripts: { ...PACKAGE.scripts, "secrets:generate": "keyward-secrets generate" },
      dependencies: { ...PACKAGE.dependencies, "@keyward/secrets": "link:/opt/keyward/packages/secrets" },
      keyward: { environment: "development" },
    });
    const client = read(dir, "secrets-client.ts");
    expect(client).toContain('serviceName: "identity-service"');
    expect(client).toContain('import { createSecretsClient } from "./secrets.js"');
    expect(tree(dir)).toEqual(["package.json", "secrets-client.ts", "secrets.schema.json"]);
    // The new dependency is not installed yet, so generating is the next step, not part of the run.
    expect(r.stdout).toContain("pnpm install && pnpm secrets:generate");

    const again = init(dir, "--name", "identity-service", "--keyward-link", "/opt/keyward/packages");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Done: 0 written, 3 unchanged.");
  });

  it("the scaffolded client compiles against the generated secrets.ts, in development by default", async () => {
    const dir = app();
    expect(init(dir, "--name", "identity-service").code).toBe(0);
    // The fixture's express is not installed here (combine would ask for it); the rest stays.
    const pkg = JSON.parse(read(dir, "package.json"));
    delete pkg.dependencies.express;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    // As `pnpm install` would: the app resolves @keyward/secrets (this workspace's build).
    const secretsPkg = path.dirname(createRequire(import.meta.url).resolve("@keyward/secrets/package.json"));
    fs.mkdirSync(path.join(dir, "node_modules/@keyward"), { recursive: true });
    fs.symlinkSync(secretsPkg, path.join(dir, "node_modules/@keyward/secrets"));
    execFileSync(process.execPath, [path.join(secretsPkg, "dist/cli.js"), "generate"], { cwd: dir, encoding: "utf8" });
    expect(read(dir, "secrets.ts")).toContain('export const defaultEnvironment = "development";');
    const ts = (await import("typescript")).default;
    const program = ts.createProgram([path.join(dir, "secrets-client.ts")], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      typeRoots: [path.resolve(import.meta.dirname, "../../node_modules/@types")],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  });

  it("keeps an environment the app's package.json already states", () => {
    const dir = app();
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...PACKAGE, keyward: { environment: "staging" } }, null, 2) + "\n");
    const r = init(dir, "--name", "identity-service");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(read(dir, "package.json")).keyward).toEqual({ environment: "staging" });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...PACKAGE, keyward: "development" }, null, 2) + "\n");
    const bad = init(dir, "--name", "identity-service");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('has a "keyward" that is not an object');
  });

  it("keeps the app's own secrets.schema.json", () => {
    const dir = app();
    const schema = { type: "object", properties: { JWT_SIGNING_KEY: { type: "string", description: "Signs session tokens" } } };
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(schema));
    const r = init(dir, "--name", "identity-service");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/keep\s+secrets\.schema\.json/);
    expect(JSON.parse(read(dir, "secrets.schema.json"))).toEqual(schema);
    expect(JSON.parse(read(dir, "package.json")).dependencies["@keyward/secrets"]).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it("bad names and paths get clear errors and change nothing", () => {
    const dir = app();
    fs.mkdirSync(path.join(dir, "empty"));
    const cases: [string[], RegExp][] = [
      [[], /--name is required for client\/init: the service name the app registers as/],
      [["--name", "IdentityService"], /--name: "IdentityService" is not kebab-case/],
      [["--name", "identity service"], /is not kebab-case/],
      [["--name", "identity", "--dir", "empty"], /--dir: .*empty has no package\.json; point --dir at the app's package/],
      [["--name", "identity", "--dir", "nowhere"], /--dir: .*nowhere does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = init(dir, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(tree(dir)).toEqual(["package.json"]);
    fs.writeFileSync(path.join(dir, "package.json"), "{ nope");
    expect(init(dir, "--name", "identity").stderr).toMatch(/package\.json in .* is not valid JSON/);
  });
});
