#!/usr/bin/env node
// Generates src/generated from openapi.yaml: the spec as a typed const, and the types
// (openapi-typescript). `--check` fails when the committed output is stale.
import fs from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";

const root = path.resolve(import.meta.dirname, "..");
const doc = parse(fs.readFileSync(path.join(root, "openapi.yaml"), "utf8"));
const header = "// Generated from openapi.yaml by scripts/generate.mjs. Do not edit; run `pnpm --filter @keyward/spec generate`.\n";
const files = {
  "src/generated/openapi.ts": header + `export const openapiDocument = ${JSON.stringify(doc, null, 2)} as const;\n`,
  "src/generated/types.ts": header + astToString(await openapiTS(doc)),
};
const stale = Object.entries(files).filter(([f, text]) => !fs.existsSync(path.join(root, f)) || fs.readFileSync(path.join(root, f), "utf8") !== text);
if (process.argv.includes("--check")) {
  if (stale.length) {
    console.error(`spec: stale generated files: ${stale.map(([f]) => f).join(", ")}; run: pnpm --filter @keyward/spec generate`);
    process.exit(1);
  }
  console.log("spec: generated files are up to date");
} else {
  for (const [f, text] of stale) fs.writeFileSync(path.join(root, f), text);
  console.log(`spec: wrote ${stale.length} file(s)`);
}
