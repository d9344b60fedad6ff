import { defineConfig } from "vitest/config";

// Generous limits: these tests start a real service and spawn the real CLI on machines that may be busy.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 240_000 } });
