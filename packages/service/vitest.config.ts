import { defineConfig } from "vitest/config";

// Generous limits: these tests spawn the real CLI and PGlite, on machines that may be busy.
export default defineConfig({ test: { testTimeout: 240_000, hookTimeout: 240_000 } });
