import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

/**
 * One entry point per provider (`@keyward/secrets/vault` …), so an app bundles only the provider it
 * uses: add a line here and a matching "./<name>" subpath in package.json "exports".
 */
const providerEntries = {
  vault: "src/providers/vault/index.ts",
};

// ESM and CJS: apps may `require("@keyward/secrets")`. The CLI is ESM only.
export default defineConfig([
  nodeLibrary({ entry: { index: "src/index.ts", ...providerEntries }, format: ["esm", "cjs"] }),
  nodeLibrary({ entry: ["src/cli.ts"], dts: false, clean: false }),
]);
