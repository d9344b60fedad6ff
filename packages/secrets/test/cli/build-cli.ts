import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "tsup";

const packageDir = path.resolve(import.meta.dirname, "../..");
let built: Promise<string> | undefined;

/**
 * Builds src/cli.ts into a temporary directory and returns the path of cli.js, so the CLI tests
 * run the real bundled CLI on a fresh clone without touching dist/ (which the package build owns).
 * Dependencies stay external and resolve through a node_modules symlink to this package's.
 */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-secrets-cli-"));
    await build({ config: false, entry: [path.join(packageDir, "src/cli.ts")], format: ["esm"], outDir, target: "node20", platform: "node", skipNodeModulesBundle: true, silent: true, clean: false, dts: false, sourcemap: false });
    fs.writeFileSync(path.join(outDir, "package.json"), '{ "type": "module" }\n');
    fs.symlinkSync(path.join(packageDir, "node_modules"), path.join(outDir, "node_modules"), "dir");
    return path.join(outDir, "cli.js");
  })();
  return built;
}

/** Removes a build made by buildCli in this process. */
export async function removeCliBuild(): Promise<void> {
  if (!built) return;
  const cli = await built;
  fs.rmSync(path.dirname(cli), { recursive: true, force: true });
  built = undefined;
}

/** Usable as a vitest globalSetup file as well. */
export async function setup(): Promise<void> {
  await buildCli();
}
export const teardown = removeCliBuild;
