import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { planSecretsFiles, writeFiles } from "./codegen/generate.js";
import { checkGeneratedFiles, findPackagesWithSecrets, formatSecretsTable, type StaleFile } from "./codegen/index.js";
import { entryExists } from "./schema/file-access.js";
import { combineSchemaGraph, loadSchemaFile, SchemaError } from "./schema/index.js";

const HELP = `keyward-secrets: typed secrets from secrets.schema.json

Usage:
  keyward-secrets generate [--cwd DIR] [--all]   write secrets.schema.combined.json and secrets.ts
  keyward-secrets check [--cwd DIR] [--all]      exit 1 when those files are stale or missing (for CI)
  keyward-secrets print [--cwd DIR]              list the secrets a package needs and where they come from
  keyward-secrets validate FILE...               check hand-written secrets.schema.json files
  keyward-secrets help                           show this help

Options:
  --cwd DIR    the package to work on (default: the nearest package.json at or above the current directory)
  --all        every workspace package with a secrets.schema.json in its dependency graph
  -h, --help   show this help

A package's secrets are its own secrets.schema.json plus those of its dependencies
(dependencies, optionalDependencies, peerDependencies; workspace and installed packages).
With "keyward": { "environment": "development" } in its package.json, secrets.ts also exports
createSecretsClient(options), which uses that environment unless options.environment or
KEYWARD_ENVIRONMENT names another.

Examples:
  cd packages/app && keyward-secrets generate
  keyward-secrets check --all                      # in CI, from the repository root
  keyward-secrets print --cwd packages/app
  keyward-secrets validate packages/*/secrets.schema.json

Exit status: 0 ok, 1 invalid schemas or stale files, 2 bad usage.
`;

/** A mistake in how the CLI was called: exit 2, with a pointer to --help. */
class UsageError extends Error {}

const COMMAND_FLAGS: Record<string, string[]> = { generate: ["cwd", "all"], check: ["cwd", "all"], print: ["cwd"], validate: [], help: [] };

const out = (text: string) => process.stdout.write(text.endsWith("\n") ? text : text + "\n");
const err = (text: string) => process.stderr.write(text.endsWith("\n") ? text : text + "\n");
const show = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
};

const FLAGS = { cwd: { type: "string" }, all: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: FLAGS });
  } catch (error) {
    // In the words of @keyward/common's describeFlagError, which this package (what apps import)
    // does not depend on; only flag names are quoted, never what followed an "=".
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) throw new UsageError(`unknown flag ${unknown} (see --help for the flags)`);
    const flag = /^Option '(?:-[^,]+, )?(--?[^ ']+)/.exec(message)?.[1];
    if (flag !== undefined && /argument missing$|argument is ambiguous/.test(message)) throw new UsageError(`${flag} needs a value`);
    if (flag !== undefined && /does not take an argument$/.test(message)) throw new UsageError(`${flag} takes no value`);
    throw new UsageError(message.split("\n")[0]!);
  }
}

/** The package directory: the nearest package.json at or above `dir`. */
function packageDirFrom(dir: string): string {
  if (!fs.existsSync(dir)) throw new SchemaError("not_found", [{ file: dir, pointer: "", message: "directory does not exist", fix: "check the --cwd path" }]);
  for (let d = dir; ; d = path.dirname(d)) {
    // lstat-based: a package.json that is a broken link is this package's, reported when read.
    if (entryExists(path.join(d, "package.json"))) return d;
    if (path.dirname(d) === d) throw new SchemaError("not_found", [{ file: dir, pointer: "", message: "no package.json in this directory or above", fix: "run inside a package, or pass --cwd packages/<name>" }]);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    out(HELP);
    return 0;
  }
  const allowed = COMMAND_FLAGS[command];
  if (!allowed) throw new UsageError(`unknown command "${command}"; commands are ${Object.keys(COMMAND_FLAGS).join(", ")}`);
  for (const flag of ["cwd", "all"] as const) if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`${command} does not take --${flag}`);
  if (command !== "validate" && rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" (use --cwd DIR to choose the package)`);
  const cwd = path.resolve(values.cwd ?? ".");
  const targets = () => (values.all ? findPackagesWithSecrets(cwd).packages : [packageDirFrom(cwd)]);

  switch (command) {
    case "generate":
      return generate(targets(), values.all === true);
    case "check":
      return check(targets(), values.all === true);
    case "print":
      return print(packageDirFrom(cwd));
    case "validate":
      return validate(rest);
    default:
      return 0;
  }
}

async function generate(dirs: string[], all: boolean): Promise<number> {
  if (dirs.length === 0) out("no workspace package has a secrets.schema.json in its dependency graph; nothing to generate");
  // Every package's files are computed and every target checked before the first is written:
  // a bad schema or an unwritable target anywhere leaves all files as they were.
  const plans = [];
  for (const dir of dirs) plans.push({ dir, ...(await planSecretsFiles({ packageDir: dir })) });
  const written = writeFiles(plans.flatMap((p) => p.files));
  for (const { dir, schema, schemaFiles, files } of plans) {
    for (const file of written.splice(0, files.length)) out(`${file.changed ? "wrote" : "unchanged"} ${show(file.path)}`);
    const count = Object.keys(schema.properties).length;
    if (schemaFiles.length === 0 && !all) err(`note: no secrets.schema.json in ${show(dir)} or its dependencies; the generated files are empty`);
    else out(`  ${count} secret${count === 1 ? "" : "s"} from ${schemaFiles.length} schema file${schemaFiles.length === 1 ? "" : "s"}`);
  }
  return 0;
}

async function check(dirs: string[], all: boolean): Promise<number> {
  const stale: StaleFile[] = [];
  for (const dir of dirs) stale.push(...(await checkGeneratedFiles({ packageDir: dir })));
  if (stale.length === 0) {
    out(`secrets files are up to date (${dirs.length} package${dirs.length === 1 ? "" : "s"})`);
    return 0;
  }
  for (const file of stale) err(`${file.status}: ${show(file.path)}\n${file.summary.replace(/^/gm, "  ")}`);
  err(`run: keyward-secrets generate${all ? " --all" : ""}`);
  return 1;
}

function print(dir: string): number {
  const { schema, packages } = combineSchemaGraph(dir);
  const root = packages[0]?.name ?? show(dir);
  if (Object.keys(schema.properties).length === 0) out(`no secrets declared in ${root} or its dependencies`);
  else out(formatSecretsTable(schema));
  return 0;
}

function validate(files: string[]): number {
  if (files.length === 0) throw new UsageError("validate needs at least one file, e.g. keyward-secrets validate secrets.schema.json");
  let failed = 0;
  for (const file of files) {
    try {
      const count = Object.keys(loadSchemaFile(file).properties).length;
      out(`ok ${show(path.resolve(file))} (${count} secret${count === 1 ? "" : "s"})`);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      failed++;
      err(error.format());
    }
  }
  return failed === 0 ? 0 : 1;
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === "string" && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === "string";
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`keyward-secrets: ${error.message}\nRun keyward-secrets --help for usage.`);
      process.exitCode = 2;
    } else if (error instanceof SchemaError) {
      err(`keyward-secrets: ${error.format()}`);
      process.exitCode = 1;
    } else if (isFileSystemError(error)) {
      // The environment (a disk, a permission), not a bug: no stack, but what the system said.
      err(`keyward-secrets: ${error.path ? `${show(error.path)}: ` : ""}${error.message}`);
      process.exitCode = 1;
    } else {
      // Not an expected failure: keep the stack, it is a bug report.
      err(`keyward-secrets: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    }
  },
);
