import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

// Library mode: one ESM entry, Vue and vue-query left to the host app.
export default defineConfig({
  plugins: [vue()],
  build: {
    lib: { entry: "src/index.ts", formats: ["es"], fileName: () => "index.js" },
    rollupOptions: { external: ["vue", "@tanstack/vue-query", "@keyward/spec", "@keyward/admin-client", "@keyward/secret-types", "openapi-fetch"] },
    sourcemap: true,
    emptyOutDir: true,
  },
  test: { environment: "happy-dom", testTimeout: 30_000, hookTimeout: 60_000 },
});
