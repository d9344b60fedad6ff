import type { Options } from "tsup";

/** The build every Node package shares: ESM with .d.ts for Node 20. */
export const nodeLibrary = (overrides: Options = {}): Options => ({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  ...overrides,
});
