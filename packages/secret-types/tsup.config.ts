import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

// Two entries: the browser-safe registry (the sdk and console import it) and ./node, which adds
// node:crypto parsing of PEM certificates and keys for the server.
export default defineConfig(nodeLibrary({ entry: ["src/index.ts", "src/node.ts"] }));
