import { defineConfig } from "vitest/config";

// Generous timeouts: the machine is shared, and a PGlite cold start plus migrations can take a while under load.
export default defineConfig({ test: { testTimeout: 90_000, hookTimeout: 90_000 } });
