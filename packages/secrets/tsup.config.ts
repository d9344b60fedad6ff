import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

// ESM and CJS: apps may `require("@keyward/secrets")`. The CLI is ESM only.
export default defineConfig([nodeLibrary({ format: ["esm", "cjs"] }), nodeLibrary({ entry: ["src/cli.ts"], dts: false, clean: false })]);
