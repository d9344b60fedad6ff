// keyward-secrets generate reports each package's secret and schema file counts and writes its files
// from one planSecretsFiles call; the schema graph behind both is walked and loaded once.
import { describe, expect, it, vi } from "vitest";
import { planSecretsFiles } from "../../src/codegen/generate.js";
import { combineSchemaGraph } from "../../src/schema/combine.js";
import { makeMonorepo } from "../fixtures/tree.js";

vi.mock("../../src/schema/combine.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/schema/combine.js")>();
  return { ...original, combineSchemaGraph: vi.fn(original.combineSchemaGraph) };
});

describe("planSecretsFiles", () => {
  it("combines the schema graph once for the counts and the files", async () => {
    const repo = makeMonorepo();
    vi.mocked(combineSchemaGraph).mockClear();
    const plan = await planSecretsFiles({ packageDir: repo.at("packages/app") });
    expect(combineSchemaGraph).toHaveBeenCalledTimes(1);
    expect(plan.files.map((f) => f.path)).toEqual([repo.at("packages/app/secrets.schema.combined.json"), repo.at("packages/app/secrets.ts")]);
    expect(JSON.parse(plan.files[0]!.content)).toEqual(plan.schema);
    expect(plan.schemaFiles.length).toBeGreaterThan(0);
  });
});
