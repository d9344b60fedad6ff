import { defineConfig } from "vitest/config";

// Each generate/lint run starts @redocly/cli in a child process: seconds, not milliseconds, on a busy machine.
export default defineConfig({ test: { testTimeout: 120_000 } });
