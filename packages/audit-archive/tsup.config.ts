import { defineConfig } from "tsup";
import { nodeLibrary } from "../../tsup.base.js";

export default defineConfig(nodeLibrary());
