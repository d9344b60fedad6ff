import fs from "node:fs";
import path from "node:path";
import { SCHEMA_FILE_NAME } from "./constants.js";
import { SchemaError } from "./errors.js";
import { brokenLink, entryExists, fileAccessError } from "./file-access.js";
import { readJsonFile } from "./json.js";
import { pointerFrom } from "./pointer.js";
import { findWorkspaceRoot, listWorkspacePackages, type WorkspacePackage } from "./workspace.js";

/** The dependency fields whose packages are present at runtime; devDependencies are not walked. */
const DEPENDENCY_FIELDS = ["dependencies", "optionalDependencies", "peerDependencies"] as const;
type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

export interface PackageNode {
  name: string;
  /** Real path of the package directory. */
  dir: string;
  /** The package's secrets.schema.json, when it has one. */
  schemaFile?: string;
  /** Whether it is the starting package or a workspace package (as opposed to an installed third-party one). */
  local: boolean;
  /** Real paths of the dependencies that were found, in dependency-name order. */
  dependencies: string[];
}

interface Dependency {
  name: string;
  spec: string;
  field: DependencyField;
}

interface Manifest {
  name: string;
  dependencies: Dependency[];
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, "package.json");
  // lstat, not existsSync: a package.json that is a broken link is reported as one by readJsonFile.
  if (!entryExists(file)) {
    throw new SchemaError("not_found", [{ file, pointer: "", message: `no package.json in ${dir}`, fix: "point keyward-secrets at a package directory (the one with package.json), e.g. --cwd packages/app" }]);
  }
  const pkg = readJsonFile(file) as Record<string, unknown> | null;
  const name = typeof pkg?.name === "string" ? pkg.name : path.basename(dir);
  const seen = new Map<string, Dependency>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = pkg?.[field];
    if (typeof deps !== "object" || deps === null) continue;
    for (const [dep, spec] of Object.entries(deps)) if (!seen.has(dep)) seen.set(dep, { name: dep, spec: String(spec), field });
  }
  // Sorted so that the walk (and which package counts as a secret's source) never depends on key order.
  return { name, dependencies: [...seen.values()].sort((a, b) => compare(a.name, b.name)) };
}

/** A node_modules entry that is a symlink leading nowhere: why, for when the dependency is then missing. */
interface BrokenInstall {
  link: string;
  kind: "dangling" | "loop";
  message: string;
}

/**
 * Resolves like Node: the nearest node_modules/<name> walking up from the depending package,
 * symlinks followed. A dangling or looping link is skipped, as Node skips it, and the first one
 * is recorded in `broken`: if nothing else is found, that is the real problem, not "not installed".
 */
function resolveInstalled(fromDir: string, name: string, broken?: BrokenInstall[]): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    const link = broken && broken.length === 0 ? brokenLink(candidate) : undefined;
    if (link) broken!.push({ link: candidate, kind: link.kind, message: link.message });
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Walks the runtime dependency graph from `packageDir` and returns every package reached,
 * breadth-first (the starting package first). Throws a SchemaError on a cycle through a local
 * (starting or workspace) package, or on a missing dependency of a local package.
 */
export function walkPackageGraph(packageDir: string): PackageNode[] {
  let start: string;
  try {
    start = fs.realpathSync(path.resolve(packageDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new SchemaError("not_found", [{ file: path.resolve(packageDir), pointer: "", message: "directory does not exist", fix: "check the package directory (the one with package.json)" }]);
    }
    throw fileAccessError(path.resolve(packageDir), error, "read") ?? error;
  }
  const root = findWorkspaceRoot(start);
  let workspace: Map<string, WorkspacePackage> | undefined;
  const workspacePackage = (name: string) => {
    workspace ??= new Map(root ? listWorkspacePackages(root).map((p) => [p.name, p]) : []);
    return workspace.get(name)?.dir;
  };
  const isLocal = (dir: string) => {
    const rel = root === undefined ? ".." : path.relative(root, dir);
    return dir === start || (!rel.startsWith("..") && !path.isAbsolute(rel) && !rel.split(path.sep).includes("node_modules"));
  };

  const resolve = (from: string, dep: Dependency, broken: BrokenInstall[]): string | undefined => {
    // The pnpm link in node_modules is the fallback: it also works without a workspace file.
    if (dep.spec.startsWith("workspace:")) return workspacePackage(dep.name) ?? resolveInstalled(from, dep.name, broken);
    const linked = /^(?:link|file):(.+)$/.exec(dep.spec);
    if (linked && fs.existsSync(path.join(from, linked[1]!, "package.json"))) return fs.realpathSync(path.join(from, linked[1]!));
    // Installed first (that is what runs); the workspace lookup covers a tree before `pnpm install`.
    return resolveInstalled(from, dep.name, broken) ?? workspacePackage(dep.name);
  };

  const nodes = new Map<string, PackageNode>();
  const stack: string[] = [];
  const visit = (dir: string) => {
    const manifest = readManifest(dir);
    const schemaFile = path.join(dir, SCHEMA_FILE_NAME);
    // lstat, not existsSync (false for a dangling or looping link): such a link is a schema that
    // cannot be read, reported when it is loaded, never a package without secrets.
    const node: PackageNode = { name: manifest.name, dir, local: isLocal(dir), dependencies: [], ...(entryExists(schemaFile) ? { schemaFile } : {}) };
    nodes.set(dir, node);
    stack.push(dir);
    for (const dep of manifest.dependencies) {
      const broken: BrokenInstall[] = [];
      const target = resolve(dir, dep, broken);
      if (target === undefined) {
        // Optional and peer dependencies may legitimately be absent; a third-party package's manifest is not ours to fix.
        if (dep.field === "dependencies" && node.local) throw broken[0] ? brokenInstall(dir, node.name, dep, broken[0]) : missing(dir, node.name, dep);
        continue;
      }
      node.dependencies.push(target);
      const onStack = stack.indexOf(target);
      if (onStack !== -1) {
        // A cycle through our own packages is an error the user can fix. One entirely among installed
        // third-party packages (e.g. pg -> pg-pool -> pg via a peer dependency) is common, legal for
        // Node, and not ours to fix: it is walked once and otherwise ignored.
        const members = stack.slice(onStack);
        if (members.some((d) => nodes.get(d)!.local)) throw cycle([...members, target].map((d) => nodes.get(d)!.name), dir, dep);
        continue;
      }
      if (!nodes.has(target)) visit(target);
    }
    stack.pop();
  };
  visit(start);

  const order = new Set([start]);
  for (const dir of order) for (const dep of nodes.get(dir)!.dependencies) order.add(dep);
  return [...order].map((dir) => nodes.get(dir)!);
}

function missing(dir: string, name: string, dep: Dependency): SchemaError {
  const workspace = dep.spec.startsWith("workspace:");
  return new SchemaError("not_found", [
    {
      file: path.join(dir, "package.json"),
      pointer: pointerFrom(dep.field, dep.name),
      message: workspace ? `${name} depends on ${dep.name} (${dep.spec}), but no workspace package has that name` : `${name} depends on ${dep.name}, which is not installed`,
      fix: workspace ? `check the name against the "name" in the package's package.json and the globs in pnpm-workspace.yaml` : "run pnpm install (or remove the dependency)",
    },
  ]);
}

function brokenInstall(dir: string, name: string, dep: Dependency, broken: BrokenInstall): SchemaError {
  // Relative to the depending package, e.g. node_modules/sdk (the file is the full path).
  const where = path.relative(dir, broken.link).split(path.sep).join("/");
  return new SchemaError(broken.kind === "loop" ? "file_access" : "not_found", [
    { file: broken.link, pointer: "", message: `${name} depends on ${dep.name}, but ${where} ${broken.message}`, fix: `remove ${where} and run pnpm install` },
  ]);
}

function cycle(names: string[], dir: string, dep: Dependency): SchemaError {
  return new SchemaError("cycle", [
    {
      file: path.join(dir, "package.json"),
      pointer: pointerFrom(dep.field, dep.name),
      message: `dependency cycle: ${names.join(" -> ")}`,
      fix: "break the cycle: remove one of these dependencies, e.g. by moving the shared code into a new package both can depend on",
    },
  ]);
}

/** Code-unit order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
