import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

// Served by Keyward at /admin/ (same origin as its admin API), see start.mjs.
export default defineConfig({
  base: "/admin/",
  plugins: [vue()],
  build: { outDir: "dist", emptyOutDir: true },
  test: { testTimeout: 120_000, hookTimeout: 120_000 },
});
