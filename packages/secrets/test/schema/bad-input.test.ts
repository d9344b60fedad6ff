import fs from "node:fs";
import path from "node:path";
import { secretNameProblem, textProblem } from "@keyward/common";
import { describe, expect, it } from "vitest";
import { combineSchemaGraph, combineSchemas, findSchemaIssues, loadSchemaFile, walkPackageGraph } from "../../src/schema/index.js";
import { loadKeywardConfig } from "../../src/codegen/index.js";
import { expectSchemaError } from "../fixtures/errors.js";
import { makeMonorepo, makeTree, secret } from "../fixtures/tree.js";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** A monorepo whose app also depends on `mailer`, a workspace package that declares SMTP_PASSWORD. */
function withMailer() {
  const repo = makeMonorepo();
  const app = JSON.parse(repo.read("packages/app/package.json"));
  repo.write("packages/app/package.json", { ...app, dependencies: { ...app.dependencies, mailer: "workspace:*" } });
  repo.write("packages/mailer/package.json", { name: "mailer", version: "1.0.0" });
  repo.write("shared/mailer.schema.json", { properties: { SMTP_PASSWORD: secret("SMTP password for outgoing mail") } });
  repo.link("packages/app/node_modules/mailer", "packages/mailer");
  return repo;
}

describe("secrets.schema.json that is a symlink", () => {
  it("follows a working link", () => {
    const repo = withMailer();
    fs.symlinkSync("../../shared/mailer.schema.json", repo.at("packages/mailer/secrets.schema.json"));
    expect(combineSchemas(repo.at("packages/app")).properties.SMTP_PASSWORD?.["x-keyward"].source).toBe("mailer");
  });

  it("reports a dangling link naming the link and its target, instead of dropping the package's secrets", () => {
    const repo = withMailer();
    const link = repo.at("packages/mailer/secrets.schema.json");
    fs.symlinkSync("../../shared/moved-away.schema.json", link);
    expect(walkPackageGraph(repo.at("packages/app")).find((p) => p.name === "mailer")?.schemaFile).toBe(link);
    const error = expectSchemaError(() => combineSchemaGraph(repo.at("packages/app")), "not_found");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ file: link, pointer: "" });
    expect(error.issues[0]!.message).toBe("is a symbolic link to ../../shared/moved-away.schema.json, which does not exist");
    expect(error.issues[0]!.fix).toMatch(/point the link at a file that exists/);
  });

  it("reports a looping link", () => {
    const repo = withMailer();
    const link = repo.at("packages/mailer/secrets.schema.json");
    fs.symlinkSync("secrets.schema.json", link);
    const error = expectSchemaError(() => combineSchemas(repo.at("packages/app")), "file_access");
    expect(error.issues[0]).toMatchObject({ file: link, message: "is a symbolic link that loops back on itself (secrets.schema.json -> secrets.schema.json)" });
  });

  it("reports a directory named secrets.schema.json", () => {
    const repo = withMailer();
    fs.mkdirSync(repo.at("packages/mailer/secrets.schema.json"));
    const error = expectSchemaError(() => combineSchemas(repo.at("packages/app")), "file_access");
    expect(error.issues[0]).toMatchObject({ file: repo.at("packages/mailer/secrets.schema.json"), message: "is a directory, not a file" });
  });

  it.skipIf(isRoot)("reports a schema file it may not read", () => {
    const repo = withMailer();
    const file = repo.write("packages/mailer/secrets.schema.json", { properties: {} });
    fs.chmodSync(file, 0o000);
    try {
      const error = expectSchemaError(() => combineSchemas(repo.at("packages/app")), "file_access");
      expect(error.issues[0]).toMatchObject({ file, message: "permission denied: cannot read it" });
    } finally {
      fs.chmodSync(file, 0o644);
    }
  });
});

describe("a dependency installed as a broken symlink", () => {
  const installed = () => makeTree({ "package.json": { name: "app", dependencies: { sdk: "^1.0.0" } } });

  it("names a looping node_modules link instead of calling the package not installed", () => {
    const repo = installed();
    fs.mkdirSync(repo.at("node_modules"));
    const link = repo.at("node_modules/sdk");
    fs.symlinkSync("sdk", link);
    const error = expectSchemaError(() => combineSchemas(repo.root), "file_access");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ file: link, pointer: "" });
    expect(error.issues[0]!.message).toBe("app depends on sdk, but node_modules/sdk is a symbolic link that loops back on itself (sdk -> sdk)");
    expect(error.issues[0]!.message).not.toMatch(/not installed/);
    expect(error.issues[0]!.fix).toBe("remove node_modules/sdk and run pnpm install");
  });

  it("names a dangling node_modules link", () => {
    const repo = installed();
    fs.mkdirSync(repo.at("node_modules"));
    fs.symlinkSync("../store/sdk@1", repo.at("node_modules/sdk"));
    const error = expectSchemaError(() => combineSchemas(repo.root), "not_found");
    expect(error.issues[0]!.message).toBe("app depends on sdk, but node_modules/sdk is a symbolic link to ../store/sdk@1, which does not exist");
  });

  it("names a broken link of a workspace package's pnpm link when there is no workspace file", () => {
    const repo = withMailer();
    const link = repo.at("packages/app/node_modules/mailer");
    fs.rmSync(link);
    fs.rmSync(repo.at("pnpm-workspace.yaml"));
    fs.symlinkSync("mailer", link);
    expect(expectSchemaError(() => combineSchemas(repo.at("packages/app")), "file_access").issues[0]!.message).toMatch(/^app depends on mailer, but node_modules\/mailer is a symbolic link that loops/);
  });

  it("uses a working copy further up, as Node does, when a nearer link is broken", () => {
    const repo = installed();
    repo.write("node_modules/sdk/package.json", { name: "sdk" });
    repo.write("node_modules/sdk/secrets.schema.json", { properties: { SDK_KEY: secret("sdk key") } });
    repo.write("packages/app/package.json", { name: "inner", dependencies: { sdk: "^1.0.0" } });
    fs.mkdirSync(repo.at("packages/app/node_modules"));
    fs.symlinkSync("sdk", repo.at("packages/app/node_modules/sdk"));
    expect(Object.keys(combineSchemas(repo.at("packages/app")).properties)).toEqual(["SDK_KEY"]);
  });

  it("still reports a dependency that is simply absent as not installed", () => {
    const repo = makeTree({ "package.json": { name: "app", dependencies: { absent: "^1" } } });
    expect(expectSchemaError(() => combineSchemas(repo.root), "not_found").issues[0]!.message).toBe("app depends on absent, which is not installed");
  });

  it("reports a package.json that is a dangling link as such", () => {
    const repo = makeTree();
    fs.symlinkSync("elsewhere/package.json", repo.at("package.json"));
    expect(expectSchemaError(() => combineSchemas(repo.root), "not_found").issues[0]).toMatchObject({ file: repo.at("package.json"), message: "is a symbolic link to elsewhere/package.json, which does not exist" });
  });

  it("reports a package directory that does not exist", () => {
    expect(expectSchemaError(() => combineSchemas("/nonexistent/keyward/app"), "not_found").issues[0]).toMatchObject({ file: "/nonexistent/keyward/app", message: "directory does not exist" });
  });
});

describe("duplicate keys", () => {
  it("rejects a secret declared twice in one file, at its pointer, line and column", () => {
    const repo = makeTree();
    const file = repo.write("secrets.schema.json", '{\n  "properties": {\n    "API_KEY": { "description": "old" },\n    "API_KEY": { "description": "new" }\n  }\n}\n');
    const error = expectSchemaError(() => loadSchemaFile(file), "invalid_schema");
    expect(error.issues).toEqual([
      {
        file,
        pointer: "/properties/API_KEY",
        line: 4,
        column: 5,
        message: '"API_KEY" appears twice in the same object (first at line 3, column 5); JSON keeps only the last, so the other would be silently dropped',
        fix: "remove one of the two, or rename one if both are needed",
      },
    ]);
  });

  it.each([
    ['{ "properties": { "A_KEY": { "description": "x", "description": "y" } } }', "/properties/A_KEY/description"],
    ['{ "properties": {}, "properties": { "A_KEY": { "description": "x" } } }', "/properties"],
    ['{ "properties": { "A_KEY": { "description": "x", "x-keyward": { "optional": true, "optional": false } } } }', "/properties/A_KEY/x-keyward/optional"],
    // Escapes are compared by the key they spell.
    ['{ "properties": { "A_KEY": { "description": "x" }, "A\\u005fKEY": { "description": "y" } } }', "/properties/A_KEY"],
    // Inside an array, and with a key that needs pointer escaping.
    ['{ "properties": { "A_KEY": { "description": "x", "enum": ["a"] } }, "$comment": "x", "title": "t", "a/b": [{ "k": 1, "k": 2 }] }', "/a~1b/0/k"],
  ])("rejects the duplicate in %s at %s", (text, pointer) => {
    const repo = makeTree();
    const file = repo.write("secrets.schema.json", text);
    const error = expectSchemaError(() => loadSchemaFile(file), "invalid_schema");
    expect(error.issues.map((i) => i.pointer)).toEqual([pointer]);
  });

  it("rejects a duplicate key in package.json \"keyward\" as invalid_config, but not elsewhere in package.json", () => {
    const repo = makeTree({ "package.json": '{ "name": "app", "keyward": { "environment": "production", "environment": "staging" } }' });
    expect(expectSchemaError(() => loadKeywardConfig(repo.root), "invalid_config").issues[0]).toMatchObject({ pointer: "/keyward/environment", line: 1 });
    repo.write("package.json", '{ "name": "app", "scripts": { "x": "a", "x": "b" }, "keyward": { "environment": "production" } }');
    expect(loadKeywardConfig(repo.root)).toEqual({ environment: "production" });
  });
});

describe("what the service accepts", () => {
  const load = (doc: object) => {
    const repo = makeTree();
    const file = repo.write("secrets.schema.json", doc);
    return () => loadSchemaFile(file);
  };

  it("accepts a 128-character name and rejects a 129-character one, naming it", () => {
    const ok = "A".repeat(128);
    expect(Object.keys(load({ properties: { [ok]: secret("x") } })().properties)).toEqual([ok]);
    const long = "A" + "_B".repeat(64);
    const error = expectSchemaError(load({ properties: { [long]: secret("x") } }), "invalid_schema");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.pointer).toBe(`/properties/${long}`);
    expect(error.issues[0]!.message).toBe(`secret name "${long.slice(0, 40)}..." is 129 characters long; the Keyward service accepts at most 128`);
    expect(error.issues[0]!.fix).toBe("shorten it to 128 characters or fewer");
  });

  it("rejects a description longer than 1000 characters, naming the secret", () => {
    expect(() => load({ properties: { A_KEY: secret("d".repeat(1000)) } })()).not.toThrow();
    const error = expectSchemaError(load({ properties: { A_KEY: secret("d".repeat(1001)) } }), "invalid_schema");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ pointer: "/properties/A_KEY/description", message: '"description" of A_KEY is 1001 characters long; the Keyward service accepts at most 1000' });
    expect(error.issues[0]!.fix).toMatch(/shorten it/);
  });

  it("counts characters, not UTF-16 code units, as the service does", () => {
    expect(() => load({ properties: { A_KEY: secret("🔑".repeat(1000)) } })()).not.toThrow();
  });

  it("rejects a description with a control character, naming the secret and the character", () => {
    const error = expectSchemaError(load({ properties: { A_KEY: secret("a\u0007b") } }), "invalid_schema");
    expect(error.issues).toEqual([
      {
        file: expect.any(String),
        pointer: "/properties/A_KEY/description",
        message: '"description" of A_KEY contains a control character (U+0007) at position 1',
        fix: "remove it (tab, newline and carriage return are the only control characters the Keyward service accepts in a description)",
      },
    ]);
  });

  it("accepts tab, newline and carriage return in a description", () => {
    expect(() => load({ properties: { A_KEY: secret("line one\r\n\tline two") } })()).not.toThrow();
  });

  it("agrees with the service's own name check (secretNameProblem) on every length and shape", () => {
    const names = ["A", "A1", "A_", "a", "_A", "1A", "AB-C", "ÄB", "A".repeat(127), "A".repeat(128), "A".repeat(129), "A".repeat(300), `A${"9".repeat(127)}`, `A${"9".repeat(128)}`];
    for (const name of names) {
      const accepted = findSchemaIssues({ properties: { [name]: secret("x") } }, "x.json").length === 0;
      expect(accepted, name).toBe(secretNameProblem(name) === undefined);
    }
  });

  it("agrees with the service's own description check (textProblem, multiline) on every control character", () => {
    for (let code = 0; code <= 0xa0; code++) {
      const description = `key ${String.fromCharCode(code)} here`;
      const accepted = findSchemaIssues({ properties: { A_KEY: secret(description) } }, "x.json").length === 0;
      expect(accepted, `U+${code.toString(16)}`).toBe(textProblem(description, { multiline: true }) === undefined);
    }
  });
});

describe("files that are not JSON files", () => {
  it("reports a directory", () => {
    const repo = makeTree();
    const dir = repo.at("adir.json");
    fs.mkdirSync(dir);
    expect(expectSchemaError(() => loadSchemaFile(dir), "file_access").issues[0]).toMatchObject({ file: dir, message: "is a directory, not a file" });
  });

  it("reports a looping link", () => {
    const repo = makeTree();
    fs.symlinkSync("b.json", repo.at("a.json"));
    fs.symlinkSync("a.json", repo.at("b.json"));
    expect(expectSchemaError(() => loadSchemaFile(repo.at("a.json")), "file_access").issues[0]!.message).toBe("is a symbolic link that loops back on itself (a.json -> b.json)");
  });

  it("reports a path through a file", () => {
    const repo = makeTree({ "file.json": "{}" });
    const file = path.join(repo.at("file.json"), "secrets.schema.json");
    expect(expectSchemaError(() => loadSchemaFile(file), "not_found").issues[0]).toMatchObject({ file, message: "a parent of this path is a file, not a directory" });
  });

  it.each([
    ["[", 200_000],
    ["{\"a\":", 100_000],
    ["[{\"a\":", 50_000],
  ])("reports %j repeated %i times as nested too deeply, without overflowing the stack", (unit, times) => {
    const repo = makeTree();
    const file = repo.write("deep.json", unit.repeat(times));
    const error = expectSchemaError(() => loadSchemaFile(file), "invalid_json");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.message).toBe("nested too deeply (more than 256 levels of { and [)");
    expect(error.issues[0]!.line).toBe(1);
  });

  it("reports deep nesting in a document JSON.parse accepts", () => {
    const repo = makeTree();
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const prefix = '{ "properties": { "A_KEY": { "description": "x", "enum": ';
    const file = repo.write("deep.json", `${prefix}${deep} } } }`);
    // Three objects, then 253 arrays make 256 levels: the 254th [ is one too many.
    expect(expectSchemaError(() => loadSchemaFile(file), "invalid_json").issues[0]).toMatchObject({ line: 1, column: prefix.length + 253 + 1, message: "nested too deeply (more than 256 levels of { and [)" });
  });

  it("accepts nesting up to the limit", () => {
    const repo = makeTree();
    const file = repo.write("deep.json", `{ "properties": { "A_KEY": { "description": "x", "$comment": ${"[".repeat(253)}${"]".repeat(253)} } } }`);
    // Parsed fine; the meta-schema then rejects the unknown keyword.
    expect(expectSchemaError(() => loadSchemaFile(file), "invalid_schema").issues[0]!.pointer).toBe("/properties/A_KEY/$comment");
  });
});
