import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openapiDocument } from "../src/index.js";

const root = path.resolve(import.meta.dirname, "..");
const operations = Object.values(openapiDocument.paths).flatMap((item) =>
  Object.entries(item)
    .filter(([k]) => ["get", "put", "post", "patch", "delete"].includes(k))
    .map(([, op]) => op as { operationId?: string; responses: Record<string, unknown> }),
);

describe("@keyward/spec", () => {
  it("is one bundled OpenAPI 3.1 document with a unique operationId on every operation", () => {
    expect(openapiDocument.openapi).toBe("3.1.0");
    expect(operations.length).toBeGreaterThanOrEqual(28);
    const ids = operations.map((op) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Bundled: no reference points outside the document.
    expect(JSON.stringify(openapiDocument)).not.toMatch(/"\$ref":"(?!#)/);
  });

  it("has no response schema that carries a value", () => {
    const inputs = ["SetValueRequest", "CreateSecretRequest"];
    for (const [name, schema] of Object.entries(openapiDocument.components.schemas)) {
      const props = Object.entries((schema as { properties?: Record<string, { writeOnly?: boolean }> }).properties ?? {});
      const value = props.find(([p]) => p === "value");
      if (inputs.includes(name)) expect(value?.[1].writeOnly).toBe(true);
      else expect(value).toBeUndefined();
    }
  });

  it("generated files are up to date", () => {
    const out = execFileSync("node", ["scripts/generate.mjs", "--check"], { cwd: root }).toString();
    expect(out).toContain("up to date");
  });

  it("check mode catches a stale generated file", () => {
    // Run the generator from a copy whose types.ts was edited, so the real tree is never touched.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-spec-check-"));
    try {
      for (const entry of ["openapi", "scripts", "src", "openapi.json", "redocly.yaml", "package.json"]) fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
      fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
      fs.appendFileSync(path.join(copy, "src/generated/types.ts"), "// edited by hand\n");
      let failure: { status: number; stderr: string } | undefined;
      try {
        execFileSync("node", ["scripts/generate.mjs", "--check"], { cwd: copy, stdio: "pipe" });
      } catch (error) {
        failure = { status: (error as { status: number }).status, stderr: String((error as { stderr: Buffer }).stderr) };
      }
      expect(failure?.status).toBe(1);
      expect(failure?.stderr).toContain("src/generated/types.ts");
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("lints clean with @redocly/cli (recommended-strict, offline)", () => {
    const run = spawnSync("node", ["scripts/redocly.mjs", "lint"], { cwd: root, encoding: "utf8" });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/your API description is valid/i);
  });
});
