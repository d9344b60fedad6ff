// Runs every `*.bench.ts` in this folder in turn, or only those whose name contains an argument
// (an argument that is a whole name takes that file alone):
//   pnpm bench            # all
//   pnpm bench grpc       # grpc.bench.ts only
//   pnpm bench scale      # scale.bench.ts only, not audit-scale.bench.ts
// Each file's default export is `async () => void`; it prints its own figures with lib/measure.ts,
// and records the figures issue #18 sets targets for with lib/headline.ts: they come last, as one table.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { printHeadlines } from "./lib/headline.js";

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const all = fs.readdirSync(dir).filter((f) => f.endsWith(".bench.ts"));
const matches = (f: string, x: string) => (all.includes(`${x}.bench.ts`) ? f === `${x}.bench.ts` : f.includes(x));
const files = all.filter((f) => filters.length === 0 || filters.some((x) => matches(f, x))).sort();
if (files.length === 0) {
  console.error(`bench: no *.bench.ts matches ${filters.join(", ") || "(none present)"}`);
  process.exit(1);
}
for (const file of files) {
  console.log(`\n# ${file}`);
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
printHeadlines();
process.exit(0);
