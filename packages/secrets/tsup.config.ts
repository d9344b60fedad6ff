import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

/**
 * One entry point per provider (`@keyward/secrets/vault`, `/aws`, …), so an app loads (and installs)
 * only the provider and SDK it uses: add a line here and a matching "./<name>" subpath in
 * package.json "exports".
 */
const providerEntries = {
  vault: "src/providers/vault/index.ts",
  aws: "src/providers/aws/index.ts",
  azure: "src/providers/azure/index.ts",
  infisical: "src/providers/infisical/index.ts",
};

// ESM and CJS: apps may `require("@keyward/secrets")`. The CLI is ESM only.
export default defineConfig([
  nodeLibrary({
    entry: { index: "src/index.ts", ...providerEntries },
    format: ["esm", "cjs"],
    // One shared chunk for providers/types.ts, so ProviderError is one class across the entries (CJS too).
    splitting: true,
    // import.meta.url in the CJS build: providers/peer-sdk.ts requires the optional SDKs from here.
    shims: true,
  }),
  nodeLibrary({ entry: ["src/cli.ts"], dts: false, clean: false }),
]);
