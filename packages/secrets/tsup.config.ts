import { defineConfig } from "tsup";

// ESM and CJS: apps may `require("@keyward/secrets")`.
export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
  },
  {
    entry: ["src/cli.ts"],
    format: ["esm"],
    clean: false,
    sourcemap: true,
    target: "node20",
  },
]);
