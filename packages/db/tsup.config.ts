import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

// "@keyward/db/testing" (test databases) is its own entry, so the main entry never carries it.
export default defineConfig(nodeLibrary({ entry: { index: "src/index.ts", testing: "src/testing.ts" } }));
