import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { read, tmp, tree, workflow } from "./cli.js";

function appPackage(schema?: unknown) {
  const dir = tmp("kw-wf-add-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "billing", version: "1.0.0" }, null, 2));
  if (schema) fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(schema, null, 2) + "\n");
  return dir;
}

const add = (dir: string, ...args: string[]) => workflow(dir, "kickoff", "secrets/add", ...args);

describe("keyward-workflow kickoff secrets/add", () => {
  it("dry run: shows the schema edit and the regeneration, writes nothing", () => {
    const dir = appPackage({ type: "object", properties: { DATABASE_URL: { type: "string", description: "Billing database" } } });
    const before = read(dir, "secrets.schema.json");
    const r = add(dir, "--name", "STRIPE_API_KEY", "--description", "Stripe API key", "--dry-run");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/update\s+secrets\.schema\.json/);
    expect(r.stdout).toContain("then regenerate secrets.ts and secrets.schema.combined.json");
    expect(read(dir, "secrets.schema.json")).toBe(before);
    expect(tree(dir)).toEqual(["package.json", "secrets.schema.json"]);
  });

  it("real run: adds the secret, keeps the others, regenerates typed files; a second run changes nothing", () => {
    const dir = appPackage({ type: "object", properties: { DATABASE_URL: { type: "string", description: "Billing database" } } });
    const r = add(dir, "--name", "STRIPE_API_KEY", "--description", "Stripe API key", "--type", "api-key", "--dir", ".");
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(read(dir, "secrets.schema.json"));
    expect(schema.properties).toEqual({
      DATABASE_URL: { type: "string", description: "Billing database" },
      STRIPE_API_KEY: { type: "string", description: "Stripe API key", "x-keyward": { type: "api-key" } },
    });
    expect(read(dir, "secrets.ts")).toContain("STRIPE_API_KEY: string;");
    expect(read(dir, "secrets.ts")).toContain("DATABASE_URL: string;");
    expect(Object.keys(JSON.parse(read(dir, "secrets.schema.combined.json")).properties)).toEqual(["DATABASE_URL", "STRIPE_API_KEY"]);
    expect(r.stdout).toMatch(/generated secrets\.ts/);
    expect(r.stdout).toContain('await secrets.getSecret("STRIPE_API_KEY") (the name is now typed)');

    const again = add(dir, "--name", "STRIPE_API_KEY", "--description", "Stripe API key", "--type", "api-key");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/unchanged\s+secrets\.schema\.json/);
    expect(again.stdout).toContain("Done: 0 written, 1 unchanged.");
    expect(again.stdout).not.toContain("generated");
  });

  it("creates secrets.schema.json when the package has none, and an optional secret is typed optional", () => {
    const dir = appPackage();
    const r = add(dir, "--name", "SENTRY_DSN", "--description", "Error reporting DSN", "--optional");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/create\s+secrets\.schema\.json/);
    expect(JSON.parse(read(dir, "secrets.schema.json")).properties.SENTRY_DSN["x-keyward"]).toEqual({ optional: true });
    expect(read(dir, "secrets.ts")).toMatch(/SENTRY_DSN\?: string/);
  });

  it("refuses to redefine a secret declared differently unless --force", () => {
    const dir = appPackage({ type: "object", properties: { STRIPE_API_KEY: { type: "string", description: "old" } } });
    const refused = add(dir, "--name", "STRIPE_API_KEY", "--description", "new");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/secrets\.schema\.json: STRIPE_API_KEY is already declared differently; pass --force/);
    expect(JSON.parse(read(dir, "secrets.schema.json")).properties.STRIPE_API_KEY.description).toBe("old");
    const forced = add(dir, "--name", "STRIPE_API_KEY", "--description", "new", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(read(dir, "secrets.schema.json")).properties.STRIPE_API_KEY.description).toBe("new");
  });

  it("bad names, options and paths get clear errors and change nothing", () => {
    const dir = appPackage({ type: "object", properties: {} });
    fs.mkdirSync(path.join(dir, "no-package"));
    const cases: [string[], RegExp][] = [
      [["--description", "x"], /--name is required for secrets\/add: the secret's name in upper snake case/],
      [["--name", "stripe_key", "--description", "x"], /--name: "stripe_key" is not a secret name: use upper snake case/],
      [["--name", "1KEY", "--description", "x"], /is not a secret name/],
      [["--name", "KEY"], /--description is required: say what KEY is for/],
      [["--name", "KEY", "--description", "x", "--type", "magic"], /--type "magic" is not a secret type; use one of api-key/],
      [["--name", "KEY", "--description", "x", "--dir", "missing"], /--dir: .*missing does not exist; point --dir at the package/],
      [["--name", "KEY", "--description", "x", "--dir", "no-package"], /--dir: .*no-package has no package\.json/],
      [["--name", "KEY", "--description", "x", "--dir", "package.json"], /is a file, not a directory/],
    ];
    const before = tree(dir);
    for (const [args, message] of cases) {
      const r = add(dir, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(tree(dir)).toEqual(before);
    fs.writeFileSync(path.join(dir, "secrets.schema.json"), "{ not json");
    expect(add(dir, "--name", "KEY", "--description", "x").stderr).toMatch(/secrets\.schema\.json in .* is not valid JSON/);
  });
});
