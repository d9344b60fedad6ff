import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { describeFlagError } from "@keyward/common";
import { applyPlan } from "./apply.js";
import { listWorkflows, loadWorkflow } from "./catalog.js";
import { planWorkflow, type FileAction } from "./plan.js";

const HELP = `keyward-workflow: scaffold Keyward into your monorepo

Usage:
  keyward-workflow list
  keyward-workflow kickoff <id> [--name NAME] [--dir DIR] [--dry-run] [--force]
                               [--description TEXT] [--type TYPE] [--optional]   (secrets/add)
                               [--keyward-link DIR]   depend on local Keyward packages (link:DIR/<pkg>)

--dry-run prints what would change and writes nothing. A run can be repeated: identical files are
skipped, and a file that differs is never overwritten without --force.
`;

const LABEL: Record<FileAction, string> = {
  create: "create   ",
  unchanged: "unchanged",
  update: "update   ",
  keep: "keep     ",
  conflict: "CONFLICT ",
  overwrite: "overwrite",
};

const ownVersion = (): string => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../package.json"), "utf8")) as { version: string };
  return `^${pkg.version}`;
};

const FLAGS = {
  name: { type: "string" },
  dir: { type: "string" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  description: { type: "string" },
  type: { type: "string" },
  optional: { type: "boolean" },
  "keyward-link": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Strict flags; a mistyped one is a usage error in the words the other Keyward commands use. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: FLAGS });
  } catch (error) {
    throw new FlagError(describeFlagError(error, FLAGS));
  }
}

class FlagError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv);
  const [command, id, ...extra] = positionals;
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === "list") {
    for (const m of listWorkflows()) process.stdout.write(`${m.id.padEnd(22)} ${m.summary}\n`);
    return 0;
  }
  if (command !== "kickoff") {
    process.stderr.write(`error: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  if (id === undefined) {
    process.stderr.write(`error: kickoff needs a workflow id (see: keyward-workflow list)\n`);
    return 2;
  }
  if (extra.length > 0) {
    process.stderr.write(`error: unexpected argument(s) ${extra.join(" ")}; options start with --\n`);
    return 2;
  }
  const workflow = loadWorkflow(id);
  const plan = planWorkflow(workflow, {
    name: values.name,
    dir: values.dir,
    cwd: process.cwd(),
    force: values.force,
    description: values.description,
    type: values.type,
    optional: values.optional,
    keywardVersion: ownVersion(),
    keywardLink: values["keyward-link"],
  });
  const dryRun = values["dry-run"] === true;
  process.stdout.write(`${dryRun ? "Dry run: " : ""}${plan.workflowId} → ${plan.dir}\n`);
  for (const f of plan.files) process.stdout.write(`  ${LABEL[f.action]} ${f.relPath}${f.reason ? `  (${f.reason})` : ""}\n`);
  if (dryRun) {
    if (plan.generate) process.stdout.write("  then regenerate secrets.ts and secrets.schema.combined.json\n");
    process.stdout.write("Nothing was written (--dry-run).\n");
    return plan.files.some((f) => f.action === "conflict") ? 1 : 0;
  }
  const result = await applyPlan(plan);
  for (const g of result.generated) process.stdout.write(`  generated ${g}\n`);
  process.stdout.write(`Done: ${result.written.length} written, ${result.skipped.length} unchanged.\n`);
  if (plan.next.length > 0) process.stdout.write(`\nNext:\n${plan.next.map((l) => `  ${l}\n`).join("")}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Bad flags are usage errors (2); a workflow that refuses (bad name, dir, conflict) exits 1.
    const usage = error instanceof FlagError;
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
