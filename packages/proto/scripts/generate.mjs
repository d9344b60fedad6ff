#!/usr/bin/env node
// Generates src/gen from the .proto with buf (its compiler ships in the npm package) and ts-proto.
// `--check` generates into a temporary folder and fails when src/gen is stale.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const env = { ...process.env, BUF_CACHE_DIR: path.join(root, ".buf-cache") };
const buf = path.join(root, "node_modules/.bin/buf");
execFileSync(buf, ["lint"], { cwd: root, env, stdio: "inherit" });
// buf writes to <base>/src/gen (buf.gen.yaml); a check uses a temporary base.
const base = check ? fs.mkdtempSync(path.join(os.tmpdir(), "kw-proto-")) : root;
const out = path.join(base, "src/gen");
if (!check) fs.rmSync(out, { recursive: true, force: true });
execFileSync(buf, ["generate", "--output", base], { cwd: root, env, stdio: "inherit" });
if (check) {
  const list = (d) => fs.readdirSync(d, { recursive: true }).filter((f) => fs.statSync(path.join(d, f)).isFile()).sort();
  const fresh = list(out);
  const stale = fresh.filter((f) => !fs.existsSync(path.join(root, "src/gen", f)) || fs.readFileSync(path.join(root, "src/gen", f), "utf8") !== fs.readFileSync(path.join(out, f), "utf8"));
  if (stale.length > 0 || list(path.join(root, "src/gen")).length !== fresh.length) {
    console.error(`proto: generated code is stale (${stale.join(", ") || "extra files"}); run: pnpm --filter @keyward/proto generate`);
    process.exit(1);
  }
  console.log("proto: generated code is up to date");
}
