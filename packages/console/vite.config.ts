import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

// Served by the Keyward service at /admin/, same origin as the admin API.
export default defineConfig({
  base: "/admin/",
  plugins: [vue()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { environment: "happy-dom", testTimeout: 30_000, hookTimeout: 60_000 },
});
