import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openapiDocument } from "../src/index.js";

describe("@keyward/spec", () => {
  it("is OpenAPI 3.1 with an operationId on every operation", () => {
    expect(openapiDocument.openapi).toBe("3.1.0");
    const ops = Object.values(openapiDocument.paths).flatMap((item) => Object.values(item));
    expect(ops.length).toBeGreaterThanOrEqual(7);
    for (const op of ops) expect((op as { operationId?: string }).operationId).toMatch(/^[a-z][A-Za-z]+$/);
  });

  it("has no response schema that carries a value", () => {
    const json = JSON.stringify(openapiDocument.components.schemas);
    const outputs = Object.entries(openapiDocument.components.schemas).filter(([n]) => n !== "SetValueRequest");
    for (const [, schema] of outputs) expect(Object.keys((schema as { properties?: object }).properties ?? {})).not.toContain("value");
    expect(json).toContain("writeOnly");
  });

  it("generated files are up to date", () => {
    const out = execFileSync("node", ["scripts/generate.mjs", "--check"], { cwd: path.resolve(import.meta.dirname, "..") }).toString();
    expect(out).toContain("up to date");
  });
});
