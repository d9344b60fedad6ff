import { defineConfig } from "vitest/config";

// Real-server tests start PGlite (seconds on a busy machine), hence the generous hook timeout.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 120_000, typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] } } });
