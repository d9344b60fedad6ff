import fs from "node:fs";
import path from "node:path";
import { SECRET_NAME_PATTERN } from "@keyward/secrets";
import type { Workflow } from "./catalog.js";
import { WorkflowError } from "./errors.js";
import { nameForms, renameAll, requireKebabName, type NameForms } from "./names.js";
import { runStep, type StepOptions } from "./steps/index.js";

export interface KickoffOptions extends StepOptions {
  name?: string;
  /** Target directory; relative to `cwd`. Defaults to the manifest's. */
  dir?: string;
  cwd: string;
  force?: boolean;
  /** Version spec for @keyward/* dependencies written by templates, e.g. "^0.1.0". */
  keywardVersion: string;
  /** Depend on local Keyward packages instead (link:<keywardLink>/<pkg>), e.g. a checkout's packages/. */
  keywardLink?: string;
}

/**
 * create: new file. unchanged: already identical (skipped). update: an intended edit of an existing
 * file. keep: the user's existing file wins over the template. conflict: a different file exists
 * (refused without --force). overwrite: a conflict that --force replaces.
 */
export type FileAction = "create" | "unchanged" | "update" | "keep" | "conflict" | "overwrite";

export interface PlannedFile {
  relPath: string;
  path: string;
  action: FileAction;
  content: string;
  /** Why, for conflicts. */
  reason?: string;
}

export interface Plan {
  workflowId: string;
  name: string;
  dir: string;
  files: PlannedFile[];
  /** secrets.ts and secrets.schema.combined.json are regenerated after the files are written. */
  generate: boolean;
  next: string[];
}

function resolveName(workflow: Workflow, given: string | undefined): { name: string; forms: NameForms | undefined } {
  const spec = workflow.manifest.name;
  const name = given ?? spec.default;
  if (name === undefined) throw new WorkflowError("bad_name", `--name is required for ${workflow.manifest.id}: ${spec.description}`);
  if (spec.kind === "kebab") return { name, forms: requireKebabName(name) };
  if (!new RegExp(SECRET_NAME_PATTERN).test(name) || name.length > 128) {
    throw new WorkflowError("bad_name", `--name: "${name}" is not a secret name: use upper snake case (A-Z, 0-9, _) starting with a letter, e.g. STRIPE_API_KEY`);
  }
  return { name, forms: undefined };
}

function resolveDir(workflow: Workflow, options: KickoffOptions, name: string): string {
  const raw = options.dir ?? workflow.manifest.dir.default.replaceAll("{{name}}", name);
  if (raw.trim() === "" || raw.includes("\0")) throw new WorkflowError("bad_dir", `--dir: "${raw}" is not a usable path`);
  const dir = path.resolve(options.cwd, raw);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new WorkflowError("bad_dir", `--dir: ${dir} is a file, not a directory`);
  if (workflow.manifest.dir.mustExist) {
    if (!fs.existsSync(dir)) throw new WorkflowError("bad_dir", `--dir: ${dir} does not exist; ${workflow.manifest.dir.description}`);
    if (!fs.existsSync(path.join(dir, "package.json"))) throw new WorkflowError("bad_dir", `--dir: ${dir} has no package.json; ${workflow.manifest.dir.description}`);
  } else {
    // Refuse early, with the path that is in the way, rather than fail halfway through writing.
    let up = dir;
    while (!fs.existsSync(up)) up = path.dirname(up);
    if (!fs.statSync(up).isDirectory()) throw new WorkflowError("bad_dir", `--dir: ${dir} cannot be created: ${up} is a file`);
  }
  return dir;
}

/** A template path as written: placeholders renamed, and "gitignore" restored to ".gitignore" (npm drops dotfiles named so). */
function targetPath(relPath: string, rename: (s: string) => string): string {
  const renamed = rename(relPath).split(path.sep).map((seg) => (seg === "gitignore" ? ".gitignore" : seg));
  if (renamed.some((seg) => seg === ".." || seg === "")) throw new WorkflowError("bad_manifest", `template path ${relPath} leaves the target directory`);
  return renamed.join(path.sep);
}

/** The target as the next steps show it: relative when it is below the current directory. */
function shownDir(cwd: string, dir: string): string {
  const rel = path.relative(cwd, dir);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? dir : rel;
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/**
 * Plans a workflow run without writing anything: every file with its action. Running the plan's
 * workflow again after applying gives only "unchanged" (and "keep") files.
 */
export function planWorkflow(workflow: Workflow, options: KickoffOptions): Plan {
  const { manifest } = workflow;
  const { name, forms } = resolveName(workflow, options.name);
  const dir = resolveDir(workflow, options, name);
  const keywardSpec = (pkg: string) => (options.keywardLink ? `link:${path.resolve(options.cwd, options.keywardLink, pkg)}` : options.keywardVersion);
  const from = manifest.placeholder ? nameForms(manifest.placeholder) : undefined;
  const rename = (text: string) => (from && forms ? renameAll(text, from, forms) : text);
  const render = (text: string) => rename(text).replace(/\{\{keyward:([a-z-]+)\}\}/g, (_m, pkg: string) => keywardSpec(pkg));
  const keep = new Set(manifest.keepExisting ?? []);

  const files: PlannedFile[] = workflow.templates.map((t) => {
    const relPath = targetPath(t.relPath, rename);
    const file = path.join(dir, relPath);
    const content = render(t.content);
    const existing = readIfExists(file);
    const action: FileAction =
      existing === undefined ? "create" : existing === content ? "unchanged" : keep.has(t.relPath) ? "keep" : options.force ? "overwrite" : "conflict";
    return { relPath, path: file, action, content, ...(action === "conflict" ? { reason: "a different file is already there; pass --force to overwrite it" } : {}) };
  });

  const context = {
    dir,
    name,
    forms,
    options: { description: options.description, type: options.type, optional: options.optional },
    force: options.force ?? false,
    read: (relPath: string) => readIfExists(path.join(dir, relPath)),
    keywardSpec,
  };
  for (const step of manifest.steps ?? []) {
    for (const edit of runStep(step, context)) {
      const file = path.join(dir, edit.relPath);
      const existing = readIfExists(file);
      if ("conflict" in edit) {
        files.push({ relPath: edit.relPath, path: file, action: "conflict", content: existing ?? "", reason: edit.conflict });
        continue;
      }
      files.push({ relPath: edit.relPath, path: file, action: existing === undefined ? "create" : existing === edit.content ? "unchanged" : "update", content: edit.content });
    }
  }
  return { workflowId: manifest.id, name, dir, files, generate: manifest.generate ?? false, next: (manifest.next ?? []).map((line) => rename(line.replaceAll("{{dir}}", shownDir(options.cwd, dir)).replaceAll("{{name}}", name))) };
}
