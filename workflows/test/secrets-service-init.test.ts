import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { read, tmp, tree, workflow } from "./cli.js";

const FILES = [".gitignore", "README.md", "callbacks.ts", "index.ts", "package.json", "secrets.schema.combined.json", "tsconfig.json"];

describe("keyward-workflow kickoff secrets-service/init", () => {
  it("dry run: lists every file it would create and writes nothing", () => {
    const cwd = tmp();
    const r = workflow(cwd, "kickoff", "secrets-service/init", "--name", "acme-secrets", "--dry-run");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Dry run: secrets-service/init → ${path.join(cwd, "packages/acme-secrets")}`);
    for (const f of FILES) expect(r.stdout).toMatch(new RegExp(`create\\s+${f.replace(".", "\\.")}\\n`));
    expect(r.stdout).toContain("Nothing was written (--dry-run).");
    expect(tree(cwd)).toEqual([]);
  });

  it("real run: scaffolds the package with the name in every form, then a second run changes nothing", () => {
    const cwd = tmp();
    const r = workflow(cwd, "kickoff", "secrets-service/init", "--name", "acme-secrets", "--dir", "services/vault");
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(cwd, "services/vault");
    expect(tree(dir)).toEqual(FILES);
    const pkg = JSON.parse(read(dir, "package.json"));
    expect(pkg.name).toBe("acme-secrets");
    expect(pkg.dependencies["@keyward/service"]).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(read(dir, "callbacks.ts")).toContain("export const acmeSecretsCallbacks: ServiceCallbacks");
    expect(read(dir, "callbacks.ts")).toContain("onAccessRequest({ secretName, serviceName })");
    const index = read(dir, "index.ts");
    expect(index).toContain('import { acmeSecretsCallbacks } from "./callbacks.js"');
    expect(index).toContain("AcmeSecrets is running");
    expect(index).toContain("ACME_SECRETS_EXPECTED_SECRETS");
    expect(index).toMatch(/startSecretsService\(\{\s+callbacks: acmeSecretsCallbacks,\s+expectedSecrets: ACME_SECRETS_EXPECTED_SECRETS,/);
    // The first start's owner token stays out of the log when the output is not a terminal.
    expect(index).toContain('bootstrapToken: process.stdout.isTTY ? "return" : "file"');
    expect(JSON.parse(read(dir, "secrets.schema.combined.json"))).toEqual({ type: "object", properties: {} });
    for (const f of FILES) expect(read(dir, f), f).not.toMatch(/template-name|templateName|TemplateName|TEMPLATE_NAME|\{\{/);
    expect(r.stdout).toContain("Done: 7 written, 0 unchanged.");

    const before = FILES.map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
    const again = workflow(cwd, "kickoff", "secrets-service/init", "--name", "acme-secrets", "--dir", "services/vault");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Done: 0 written, 7 unchanged.");
    expect(FILES.map((f) => fs.statSync(path.join(dir, f)).mtimeMs)).toEqual(before);
  });

  it("refuses to overwrite a changed file without --force, and overwrites it with --force", () => {
    const cwd = tmp();
    expect(workflow(cwd, "kickoff", "secrets-service/init", "--dir", "svc").code).toBe(0);
    fs.writeFileSync(path.join(cwd, "svc/callbacks.ts"), "// my hooks\n");
    const refused = workflow(cwd, "kickoff", "secrets-service/init", "--dir", "svc");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/CONFLICT\s+callbacks\.ts/);
    expect(refused.stderr).toMatch(/refusing to overwrite 1 file\(s\)[\s\S]*callbacks\.ts/);
    expect(read(cwd, "svc/callbacks.ts")).toBe("// my hooks\n");
    const dry = workflow(cwd, "kickoff", "secrets-service/init", "--dir", "svc", "--dry-run");
    expect(dry.code).toBe(1);
    const forced = workflow(cwd, "kickoff", "secrets-service/init", "--dir", "svc", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/overwrite\s+callbacks\.ts/);
    expect(read(cwd, "svc/callbacks.ts")).toContain("secretsServiceCallbacks");
  });

  it("bad names and paths get clear errors and write nothing", () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, "a-file"), "x");
    const cases: [string[], RegExp][] = [
      [["--name", "Acme Secrets"], /--name: "Acme Secrets" is not kebab-case/],
      [["--name", "acme_secrets"], /is not kebab-case/],
      [["--name", "../evil"], /is not kebab-case/],
      [["--name", ""], /--name: the name is empty/],
      [["--dir", "a-file"], /--dir: .*a-file is a file, not a directory/],
      [["--dir", "a-file/pkg"], /--dir: .*a-file\/pkg cannot be created: .*a-file is a file/],
      [["--nme", "x"], /unknown flag --nme \(did you mean --name\?\)/],
    ];
    for (const [args, message] of cases) {
      const r = workflow(cwd, "kickoff", "secrets-service/init", ...args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(tree(cwd)).toEqual(["a-file"]);
    const unknown = workflow(cwd, "kickoff", "secrets-service/nope");
    expect(unknown.stderr).toMatch(/no workflow "secrets-service\/nope"; available: client\/init, secrets-service\/init, secrets\/add/);
  });

  it("list shows every workflow with its summary", () => {
    const r = workflow(tmp(), "list");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0])).toEqual(["client/init", "secrets-service/init", "secrets/add"]);
  });
});
