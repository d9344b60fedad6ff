import { defineConfig } from "vitest/config";

// A PGlite cold start or a PostgreSQL database per file can take tens of seconds on a shared CI machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });
