import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

export default defineConfig(nodeLibrary({ entry: ["src/index.ts", "src/cli.ts"], dts: { entry: "src/index.ts" } }));
