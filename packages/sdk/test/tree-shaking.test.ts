// @vitest-environment node
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build, type Rollup } from "vite";
import { describe, expect, it } from "vitest";

// Bundles an app that imports one hook from the built package: no component may come along.
const dist = path.resolve(import.meta.dirname, "../dist/index.js");

async function bundle(source: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-sdk-shake-"));
  const entry = path.join(dir, "entry.mjs");
  fs.writeFileSync(entry, source.replace("SDK", JSON.stringify(dist)));
  const out = (await build({
    logLevel: "silent",
    configFile: false,
    build: { write: false, minify: false, lib: { entry, formats: ["es"], fileName: "app" }, rollupOptions: { external: ["vue", "@tanstack/vue-query", "@keyward/spec"] } },
  })) as Rollup.RollupOutput[];
  fs.rmSync(dir, { recursive: true, force: true });
  return out[0]!.output[0].code;
}

describe("tree-shaking", () => {
  it("keeps only what an app imports", async () => {
    if (!fs.existsSync(dist)) throw new Error("build @keyward/sdk first (pnpm --filter @keyward/sdk build)");
    const hookOnly = await bundle('import { useSecrets } from SDK; console.log(useSecrets);');
    const withAudit = await bundle('import { AuditLogTable } from SDK; console.log(AuditLogTable);');
    // The audit table's strings and markup are there when imported, and absent otherwise.
    expect(withAudit).toContain("kw-audit");
    expect(hookOnly).not.toContain("kw-audit");
    expect(hookOnly).not.toContain("kw-secrets-table");
    expect(hookOnly).not.toContain("kw-pending");
    expect(hookOnly.length).toBeLessThan(withAudit.length / 3);
  });
});
