import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

// ESM and CJS: apps may `require("@keyward/secrets")`. The CLI is ESM only. Each cloud provider is
// its own entry point so that an app loads (and installs) only the SDK it uses.
export default defineConfig([
  nodeLibrary({
    entry: {
      index: "src/index.ts",
      "providers/aws/index": "src/providers/aws/index.ts",
      "providers/azure/index": "src/providers/azure/index.ts",
      "providers/infisical/index": "src/providers/infisical/index.ts",
    },
    format: ["esm", "cjs"],
    // One shared chunk for providers/types.ts, so ProviderError is one class across the entries (CJS too).
    splitting: true,
  }),
  nodeLibrary({ entry: ["src/cli.ts"], dts: false, clean: false }),
]);
