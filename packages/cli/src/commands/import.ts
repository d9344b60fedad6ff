import fs from "node:fs";
import path from "node:path";
import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";
import { applyImport, type ImportOutcome } from "../import/apply.js";
import { IMPORT_FORMATS, type ImportEntry, type ImportFormat } from "../import/entries.js";
import { readVaultImport } from "../import/from-vault.js";
import { parseImportFile } from "../import/parse-file.js";
import { heldNames, listSecrets, planImport, targetEnvironment, writes, type PlannedImport } from "../import/plan.js";
import { printRows } from "../output/format.js";
import { adminClientFor, resolveConnection } from "../profile/connection.js";

export const IMPORT_HELP = `Usage:
  keyward import FILE [--format dotenv|json|doppler|infisical|vault] [--environment E] [--dry-run] [--overwrite] [--json]
  keyward import --from vault --path PREFIX [--mount M] [--field F] [--environment E] [--dry-run] [--overwrite] [--json]

Imports secrets from a file: a .env file, a flat JSON object, Doppler (doppler secrets download
--format json, or doppler secrets --json), Infisical (infisical export --format=json) or Vault KV v2
(vault kv get -format=json). Without --format the format is detected.

--from vault reads every KV v2 entry below --path in Vault instead (VAULT_ADDR, VAULT_NAMESPACE,
and VAULT_TOKEN or VAULT_ROLE_ID + VAULT_SECRET_ID): each entry's --field (default "value")
becomes the secret named by its path below the prefix, upper case with / - . as _
(billing/stripe-key → BILLING_STRIPE_KEY).

The whole file is checked first: a bad line or an invalid secret name is named (file:line) and
nothing is written. Then a plan (names and actions, never values): create, set (a stub gets its
first value), overwrite, skip-existing, skip-empty, skip-disabled, skip-held. --dry-run stops there.
The writes go over the admin API; an existing value is kept unless --overwrite. In a protected
environment a write is held for approval (reported per name). When some writes fail, import says
which names were written and which were not, and exits 1: running it again completes the rest.

  --format F        the file's format (default: detected)
  --from vault      read from Vault instead of a file
  --path PREFIX     with --from: the KV path to import below
  --mount M         with --from vault: the KV v2 mount (default "secret")
  --field F         with --from vault: the field holding the value (default "value")
  --environment E   the environment to write to (default: the profile's, else the service's default)
  --dry-run         print the plan only
  --overwrite       replace values that exist
  --json            print the plan and the outcomes as JSON
  --profile NAME    the saved profile to use
`;

const FLAGS = {
  format: { type: "string" },
  from: { type: "string" },
  path: { type: "string" },
  mount: { type: "string" },
  field: { type: "string" },
  environment: { type: "string" },
  "dry-run": { type: "boolean" },
  overwrite: { type: "boolean" },
  json: { type: "boolean" },
  profile: { type: "string" },
} as const;

const CONTROL = /[\u0000-\u001f\u007f]/g;

function outcomeText(o: ImportOutcome | undefined, step: PlannedImport): string {
  if (!o) return writes(step.action) ? "not attempted" : "-";
  if (o.result === "written") return `written (version ${o.version})`;
  if (o.result === "held") return `held for approval (change request ${o.changeRequest})`;
  return `failed: ${o.reason}`;
}

type Flags = { format?: string | undefined; from?: string | undefined; path?: string | undefined; mount?: string | undefined; field?: string | undefined };

function fromFile(flags: Flags, positionals: string[]): { file: string; format: string; entries: ImportEntry[] } {
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError("missing FILE, e.g. keyward import .env (or --from vault --path PREFIX)");
  if (extra.length > 0) throw new UsageError(`import takes one FILE, got also "${extra[0]}"`);
  for (const flag of ["path", "mount", "field"] as const) if (flags[flag] !== undefined) throw new UsageError(`--${flag} goes with --from vault, not with a FILE`);
  if (flags.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(", ")}, got "${flags.format}"`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as NodeJS.ErrnoException).code ?? "unreadable"}`, EXIT.failed);
  }
  return { file, ...parseImportFile(text, file, flags.format as ImportFormat | undefined) };
}

/** --from vault: the source is named "vault:<mount>/<prefix>" where a file name would stand. */
async function fromProvider(flags: Flags, positionals: string[], env: NodeJS.ProcessEnv): Promise<{ file: string; format: string; entries: ImportEntry[] }> {
  if (flags.from !== "vault") throw new UsageError(`--from must be vault, got "${flags.from}" (aws, azure and infisical: export to a file and import that)`);
  if (positionals.length > 0) throw new UsageError(`--from vault reads no FILE, got "${positionals[0]}"`);
  if (flags.format !== undefined) throw new UsageError("--format goes with a FILE, not with --from");
  if (flags.path === undefined || flags.path.replace(/\//g, "") === "") throw new UsageError("--from vault needs --path PREFIX, the KV path to import below (e.g. --path apps/billing)");
  if (flags.field !== undefined && flags.field === "") throw new UsageError("--field is empty; name the field that holds the value");
  const prefix = flags.path.replace(/^\/+|\/+$/g, "");
  const entries = await readVaultImport(env, { prefix, mount: flags.mount, field: flags.field ?? "value" });
  return { file: `vault:${flags.mount ?? "secret"}/${prefix}`, format: "vault-kv", entries };
}

export function runImportCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, IMPORT_HELP, FLAGS, async ({ values: flags, positionals }) => {
    const { file, format, entries } = flags.from !== undefined ? await fromProvider(flags, positionals, io.env) : fromFile(flags, positionals);
    const connection = resolveConnection(io.env, { ...(flags.profile !== undefined ? { profile: flags.profile } : {}), ...(flags.environment !== undefined ? { environment: flags.environment } : {}) });
    const admin = adminClientFor(connection);
    const environment = await targetEnvironment(admin, connection.environment);
    const plan = planImport(entries, await listSecrets(admin, environment), await heldNames(admin, environment), flags.overwrite === true);
    const where = environment;
    const counts = (list: PlannedImport[]) => {
      const n = new Map<string, number>();
      for (const s of list) n.set(s.action, (n.get(s.action) ?? 0) + 1);
      return [...n].map(([action, count]) => `${count} ${action}`).join(", ");
    };
    if (flags["dry-run"]) {
      if (flags.json) io.stdout.write(JSON.stringify({ file, format, environment, dryRun: true, plan }, null, 2) + "\n");
      else {
        printRows(io.stdout, false, plan, { NAME: (s) => s.name, ACTION: (s) => s.action }, `${file} holds no secrets`);
        io.stdout.write(`dry run (${format}, ${where}): ${counts(plan) || "nothing"}; nothing written\n`);
      }
      return 0;
    }
    const outcomes = await applyImport(admin, plan, entries, environment, `imported from ${(flags.from !== undefined ? file : path.basename(file)).replace(CONTROL, "?").slice(0, 200)}`);
    const byName = new Map(outcomes.map((o) => [o.name, o]));
    const failed = outcomes.filter((o) => o.result === "failed").map((o) => o.name);
    if (flags.json) io.stdout.write(JSON.stringify({ file, format, environment, dryRun: false, plan, outcomes }, null, 2) + "\n");
    else {
      printRows(io.stdout, false, plan, { NAME: (s) => s.name, ACTION: (s) => s.action, RESULT: (s) => outcomeText(byName.get(s.name), s) }, `${file} holds no secrets`);
      const written = outcomes.filter((o) => o.result === "written").length;
      const held = outcomes.filter((o) => o.result === "held").length;
      io.stdout.write(`imported into ${where}: ${written} written, ${held} held for approval, ${failed.length} failed, ${plan.length - outcomes.length} skipped\n`);
    }
    if (failed.length > 0) {
      const done = outcomes.filter((o) => o.result !== "failed").map((o) => o.name);
      io.stderr.write(`error: ${failed.length} of ${outcomes.length} writes failed. Written: ${done.join(", ") || "none"}. Not written: ${failed.join(", ")}. Run the same command again to complete the import.\n`);
      return EXIT.failed;
    }
    return 0;
  });
}
