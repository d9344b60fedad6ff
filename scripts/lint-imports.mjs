#!/usr/bin/env node
// Architecture lint, run per package (`pnpm lint`): keeps the dependency direction of
// docs/architecture.md true, and forbids deep imports into another package's files.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The one allowed direction between Keyward packages (runtime code under src/).
const allowed = {
  secrets: ["proto", "secret-types"],
  common: [],
  "secret-types": [],
  db: ["common"],
  proto: [],
  grpc: ["db", "common", "proto", "secret-types"],
  spec: [],
  http: ["db", "common", "spec", "notify", "secret-types", "credential-tests"],
  "admin-client": ["spec"],
  sdk: ["admin-client", "spec", "secret-types"],
  notify: ["db", "common"],
  "audit-archive": ["db", "common"],
  service: ["grpc", "http", "db", "common", "console", "notify", "secret-types", "credential-tests", "audit-archive"],
  console: ["sdk"],
  workflows: ["common", "secrets"],
  cli: ["admin-client", "common", "spec", "secrets", "workflows"],
  "credential-tests": ["common", "secret-types"],
};

const pkgDir = process.cwd();
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
const self = pkg.name.replace("@keyward/", "");
const declared = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}),
]);
const problems = [];

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
    return /\.(ts|mts|cts|vue)$/.test(e.name) ? [p] : [];
  });
}

/** The directories of the workspace's packages, from the globs of pnpm-workspace.yaml ("packages/*", "workflows", …). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
function workspaceDirs() {
  const lines = fs.readFileSync(path.join(root, "pnpm-workspace.yaml"), "utf8").split("\n");
  const start = lines.findIndex((l) => /^packages:\s*$/.test(l));
  const globs = [];
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    const item = /^\s+-\s*["']?([^"'#\s]+)["']?/.exec(line);
    if (item) globs.push(item[1]);
    else if (/^[^\s#]/.test(line)) break; // the next top-level key ends the list
  }
  // Only the two forms the workspace uses: a directory, or "dir/*" for each directory in it.
  return globs.flatMap((glob) => {
    if (glob.startsWith("!")) return [];
    if (!glob.endsWith("/*")) return [path.join(root, glob)];
    const parent = path.join(root, glob.slice(0, -2));
    return fs.existsSync(parent) ? fs.readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(parent, e.name)) : [];
  });
}

/** Each workspace package's "exports", by package name ("@keyward/secrets"): found by name, not by
 * directory, since an importer in workflows/ and a package in packages/ are not siblings. */
const workspaceExports = new Map();
for (const dir of workspaceDirs()) {
  const file = path.join(dir, "package.json");
  if (!fs.existsSync(file)) continue;
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  workspaceExports.set(manifest.name, manifest.exports);
}

/** Whether workspace package `name` declares `subpath` ("./vault", "./style.css") in its package.json "exports". */
function exportsSubpath(name, subpath) {
  const exports = workspaceExports.get(name);
  return exports !== null && typeof exports === "object" && Object.hasOwn(exports, subpath);
}

const importRe = /(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;
for (const file of walk(path.join(pkgDir, "src"))) {
  const text = fs.readFileSync(file, "utf8");
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const rel = path.relative(pkgDir, file);
    if (spec.startsWith(".")) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(path.join(pkgDir, "src"))) problems.push(`${rel}: relative import "${spec}" leaves this package's src/`);
      continue;
    }
    if (spec.startsWith("node:")) continue;
    const parts = spec.split("/");
    const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    if (name.startsWith("@keyward/")) {
      const other = name.slice("@keyward/".length);
      // A subpath the package exports ("@keyward/secrets/vault", "@keyward/sdk/style.css") is a public entry, not a deep import.
      if (spec !== name && !exportsSubpath(name, `.${spec.slice(name.length)}`)) problems.push(`${rel}: deep import "${spec}"; import "${name}" or a subpath its package.json exports instead`);
      if (!(allowed[self] ?? []).includes(other)) problems.push(`${rel}: @keyward/${self} may not depend on ${name} (see docs/architecture.md)`);
    }
    if (!declared.has(name)) problems.push(`${rel}: imports "${name}", which package.json does not list in dependencies`);
  }
}

if (problems.length > 0) {
  console.error(`lint: ${problems.length} problem(s) in ${pkg.name}\n` + problems.map((p) => `  - ${p}`).join("\n"));
  process.exit(1);
}
console.log(`lint: ${pkg.name} ok`);
