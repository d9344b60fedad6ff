import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WorkflowError } from "./errors.js";
import { MANIFEST_FILE, readManifest, TEMPLATES_DIR, type WorkflowManifest } from "./manifest.js";

/** A workflow as loaded: its manifest and its template files (paths relative to templates/). */
export interface Workflow {
  manifest: WorkflowManifest;
  dir: string;
  templates: { relPath: string; content: string }[];
}

/** The catalog shipped with this package (catalog/<group>/<name>/), next to dist/. */
export const DEFAULT_CATALOG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../catalog");

function filesUnder(root: string, dir = root): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(root, path.join(dir, e.name)) : [path.relative(root, path.join(dir, e.name))]))
    .sort();
}

function manifestDirs(catalog: string): string[] {
  return filesUnder(catalog)
    .filter((f) => path.basename(f) === MANIFEST_FILE && !f.includes(`${path.sep}${TEMPLATES_DIR}${path.sep}`))
    .map((f) => path.dirname(f));
}

/** Every workflow in a catalog, sorted by id (a broken manifest is an error naming its file). */
export function listWorkflows(catalog = DEFAULT_CATALOG): WorkflowManifest[] {
  return manifestDirs(catalog)
    .map((dir) => readManifest(path.join(catalog, dir)))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function loadWorkflow(id: string, catalog = DEFAULT_CATALOG): Workflow {
  if (!/^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/.test(id)) {
    throw new WorkflowError("unknown_workflow", `"${id}" is not a workflow id; ids look like secrets-service/init (see: keyward-workflow list)`);
  }
  const dir = path.join(catalog, ...id.split("/"));
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
    // Ids from the layout, not the manifests, so one broken manifest does not hide the others.
    const known = manifestDirs(catalog).map((d) => d.split(path.sep).join("/")).sort();
    throw new WorkflowError("unknown_workflow", `no workflow "${id}"; available: ${known.join(", ")}`);
  }
  const manifest = readManifest(dir);
  if (manifest.id !== id) throw new WorkflowError("bad_manifest", `${path.join(dir, MANIFEST_FILE)} declares id "${manifest.id}" but lives at ${id}`);
  const templatesDir = path.join(dir, TEMPLATES_DIR);
  const templates = filesUnder(templatesDir).map((relPath) => ({ relPath, content: fs.readFileSync(path.join(templatesDir, relPath), "utf8") }));
  return { manifest, dir, templates };
}
