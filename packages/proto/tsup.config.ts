import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

// CJS too: @keyward/secrets ships a CJS build that requires this package.
export default defineConfig(nodeLibrary({ format: ["esm", "cjs"], shims: true }));
