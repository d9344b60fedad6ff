import fs from "node:fs";
import path from "node:path";
import { readJsonFile } from "./json.js";

export interface WorkspacePackage {
  name: string;
  /** Real path of the package directory. */
  dir: string;
}

const WORKSPACE_FILE = "pnpm-workspace.yaml";

/** The nearest directory at or above `from` with a pnpm-workspace.yaml or a package.json `workspaces` field. */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, WORKSPACE_FILE))) return dir;
    if (npmWorkspaces(readManifestQuietly(path.join(dir, "package.json"))) !== undefined) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** An unrelated, broken package.json above the project (say, in a home directory) must not stop the search. */
function readManifestQuietly(file: string): unknown {
  try {
    return fs.existsSync(file) ? readJsonFile(file) : undefined;
  } catch {
    return undefined;
  }
}

function npmWorkspaces(pkg: unknown): string[] | undefined {
  const ws = (pkg as { workspaces?: unknown } | null)?.workspaces;
  const list = Array.isArray(ws) ? ws : (ws as { packages?: unknown } | undefined)?.packages;
  return Array.isArray(list) ? list.filter((g): g is string => typeof g === "string") : undefined;
}

/**
 * The `packages:` globs of a pnpm-workspace.yaml. A deliberately small YAML reader (block or
 * flow list of plain/quoted strings): enough for workspace files, no YAML dependency.
 */
export function parseWorkspaceGlobs(yaml: string): string[] {
  const lines = yaml.split(/\r?\n/);
  const start = lines.findIndex((l) => /^packages\s*:/.test(l));
  if (start === -1) return [];
  const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, "$2");
  const inline = lines[start]!.replace(/^packages\s*:/, "").replace(/\s+#.*$/, "").trim();
  if (inline.startsWith("[")) return inline.replace(/^\[|\]$/g, "").split(",").map(unquote).filter(Boolean);
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level key
    const item = /^\s*-\s*(.+?)\s*(?:\s#.*)?$/.exec(line);
    if (item) globs.push(unquote(item[1]!));
  }
  return globs;
}

/** Workspace package globs at `root`: pnpm-workspace.yaml, else package.json `workspaces`. */
export function workspaceGlobs(root: string): string[] {
  const yaml = path.join(root, WORKSPACE_FILE);
  if (fs.existsSync(yaml)) return parseWorkspaceGlobs(fs.readFileSync(yaml, "utf8"));
  const manifest = path.join(root, "package.json");
  return fs.existsSync(manifest) ? (npmWorkspaces(readJsonFile(manifest)) ?? []) : [];
}

/** Every package of the workspace (not the root itself), sorted by directory. Supports `*`, `**`, exact dirs and `!` exclusions. */
export function listWorkspacePackages(root: string): WorkspacePackage[] {
  const globs = workspaceGlobs(root);
  const include = new Set(globs.filter((g) => !g.startsWith("!")).flatMap((g) => expandGlob(root, g)));
  for (const g of globs.filter((g) => g.startsWith("!"))) for (const dir of expandGlob(root, g.slice(1))) include.delete(dir);
  const rootReal = fs.realpathSync(root);
  const packages: WorkspacePackage[] = [];
  for (const dir of [...include].sort()) {
    const manifest = path.join(dir, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const real = fs.realpathSync(dir);
    if (real === rootReal) continue;
    const name = (readJsonFile(manifest) as { name?: unknown } | null)?.name;
    packages.push({ name: typeof name === "string" ? name : path.basename(real), dir: real });
  }
  return packages;
}

function expandGlob(root: string, glob: string): string[] {
  const segments = glob.replace(/^\.\//, "").replace(/\/+$/, "").split("/").filter((s) => s !== "" && s !== ".");
  const out: string[] = [];
  const visit = (dir: string, rest: string[]) => {
    if (rest.length === 0) return void out.push(dir);
    const [segment, ...tail] = rest as [string, ...string[]];
    if (segment === "**") {
      visit(dir, tail);
      for (const child of subdirs(dir)) visit(child, rest);
    } else if (segment.includes("*")) {
      const re = new RegExp("^" + segment.split("*").map(escapeRegex).join("[^/]*") + "$");
      for (const child of subdirs(dir)) if (re.test(path.basename(child))) visit(child, tail);
    } else if (fs.existsSync(path.join(dir, segment))) {
      visit(path.join(dir, segment), tail);
    }
  };
  visit(root, segments);
  return out;
}

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith("."))
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
