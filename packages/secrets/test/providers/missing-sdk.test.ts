// Without its optional SDK installed, a provider entry point still imports, and creating the
// provider fails with an invalid_config error naming the package to install. The entry points are
// built (ESM and CJS, as the package build does) into a temporary directory with no node_modules
// anywhere above it, and loaded by a child node, so the SDKs are really absent.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPeerSdk } from "../../src/providers/peer-sdk.js";
import { ProviderError } from "../../src/providers/types.js";

const packageDir = path.resolve(import.meta.dirname, "../..");
let outDir: string;

const entries = {
  aws: { create: "createAwsProvider", config: {}, packages: ["@aws-sdk/client-secrets-manager"] },
  azure: { create: "createAzureProvider", config: { vaultUrl: "https://kv.vault.azure.net" }, packages: ["@azure/keyvault-secrets"] },
  infisical: { create: "createInfisicalProvider", config: { clientId: "id", clientSecret: "missing-sdk-secret", projectId: "p", environment: "dev" }, packages: ["@infisical/sdk"] },
} as const;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-secrets-nosdk-"));
  await build({
    config: false,
    entry: Object.fromEntries(Object.keys(entries).map((name) => [name, path.join(packageDir, `src/providers/${name}/index.ts`)])),
    format: ["esm", "cjs"],
    splitting: true,
    shims: true,
    outDir,
    target: "node20",
    platform: "node",
    skipNodeModulesBundle: true,
    silent: true,
    dts: false,
    sourcemap: false,
  });
  fs.writeFileSync(path.join(outDir, "package.json"), '{ "type": "module" }\n');
}, 120_000);
afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

/** Loads the built entry in a child node (ESM import or CJS require), creates the provider, and reports what was thrown. */
function runChild(format: "esm" | "cjs", name: keyof typeof entries): { imported: boolean; name?: string; reason?: string; message?: string } {
  const { create, config } = entries[name];
  const load = format === "esm" ? `await import("./${name}.js")` : `(await import("node:module")).createRequire(import.meta.url)("./${name}.cjs")`;
  const script = `
    const mod = ${load};
    let out = { imported: true };
    try { mod.${create}(${JSON.stringify(config)}); } catch (e) { out = { ...out, name: e.name, reason: e.reason, message: e.message }; }
    console.log(JSON.stringify(out));`;
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: outDir, env, encoding: "utf8" })) as never;
}

describe("a provider whose optional SDK is not installed", () => {
  for (const format of ["esm", "cjs"] as const) {
    for (const name of Object.keys(entries) as (keyof typeof entries)[]) {
      it(`${name} (${format}): the entry point imports, and creating the provider names the package to install`, () => {
        const result = runChild(format, name);
        expect(result).toMatchObject({ imported: true, name: "ProviderError", reason: "invalid_config" });
        for (const pkg of entries[name].packages) expect(result.message).toContain(`npm install ${pkg}`);
        expect(result.message).toContain(`the ${name} provider needs the package`);
        expect(result.message).not.toContain("missing-sdk-secret");
      });
    }
  }
});

describe("loadPeerSdk", () => {
  it("returns the module when it resolves, and passes on any other failure as it is", () => {
    expect(loadPeerSdk<{ x: number }>("some-sdk", "test", () => ({ x: 1 }))).toEqual({ x: 1 });
    // An SDK that is installed but whose own dependency is missing is not "install the SDK".
    const inner = Object.assign(new Error("Cannot find module 'tslib'\nRequire stack: ..."), { code: "MODULE_NOT_FOUND" });
    expect(() => loadPeerSdk("some-sdk", "test", () => { throw inner; })).toThrow(inner);
    const missing = Object.assign(new Error("Cannot find module 'some-sdk'\nRequire stack: ..."), { code: "MODULE_NOT_FOUND" });
    let thrown: unknown;
    try {
      loadPeerSdk("some-sdk", "test", () => { throw missing; });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ reason: "invalid_config", retryable: false, message: expect.stringContaining("npm install some-sdk") });
  });
});
