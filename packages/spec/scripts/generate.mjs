#!/usr/bin/env node
// Bundles openapi/ (split files) into one document with @redocly/cli, then writes what is derived
// from it: openapi.json (the bundle), src/generated/openapi.ts (the bundle as a typed const) and
// src/generated/types.ts (openapi-typescript). `--check` fails when any of them is stale.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { redocly, root } from "./redocly.mjs";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-spec-"));
let doc;
try {
  const out = path.join(tmp, "openapi.json");
  redocly(["bundle", "keyward", "--output", out]);
  doc = JSON.parse(fs.readFileSync(out, "utf8"));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const header = "// Generated from openapi/ by scripts/generate.mjs. Do not edit; run `pnpm --filter @keyward/spec generate`.\n";
const json = JSON.stringify(doc, null, 2);
const files = {
  "openapi.json": json + "\n",
  "src/generated/openapi.ts": header + `export const openapiDocument = ${json} as const;\n`,
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
