import fs from "node:fs";
import path from "node:path";
import { decodeUtf8, runCommand, UsageError, type CommandIo } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";
import { applyImport, type ImportOutcome } from "../import/apply.js";
import { IMPORT_FORMATS, type ImportEntry, type ImportFormat } from "../import/entries.js";
import { readAwsImport } from "../import/from-aws.js";
import { readAzureImport } from "../import/from-azure.js";
import { readInfisicalImport } from "../import/from-infisical.js";
import { readVaultImport } from "../import/from-vault.js";
import { parseImportFile } from "../import/parse-file.js";
import { heldNames, listSecrets, planImport, targetEnvironment, writes, type PlannedImport } from "../import/plan.js";
import { printRows } from "../output/format.js";
import { adminClientFor, resolveConnection, stderrOf } from "../profile/connection.js";

export const IMPORT_HELP = `Usage:
  keyward import FILE [--format dotenv|json|doppler|infisical|vault] [--environment E] [--dry-run] [--overwrite] [--json]
  keyward import --from vault --path PREFIX [--mount M] [--field F] [options]
  keyward import --from aws [--prefix P] [--region R] [--json-keys] [options]
  keyward import --from azure --vault-url URL [options]
  keyward import --from infisical --project ID --env SLUG [--path /FOLDER] [options]

Imports secrets from a file: a .env file, a flat JSON object, Doppler (doppler secrets download
--format json, or doppler secrets --json), Infisical (infisical export --format=json) or Vault KV v2
(vault kv get -format=json). Without --format the format is detected.

--from reads a secret store instead, with its usual variables. Names map to Keyward names in upper
case with / - . + = @ as _ (the inverse of the providers' default naming):
  vault      every KV v2 entry below --path (VAULT_ADDR, VAULT_NAMESPACE, and VAULT_TOKEN or
             VAULT_ROLE_ID + VAULT_SECRET_ID); each entry's --field (default "value"), named by its
             path below the prefix (billing/stripe-key → BILLING_STRIPE_KEY)
  aws        every Secrets Manager secret whose name starts with --prefix, named by the rest
             (prefix apps/billing/, apps/billing/stripe-key → STRIPE_KEY); the whole value, or with
             --json-keys one secret per key of a JSON object value (db + {"url": …} → DB_URL).
             AWS_REGION (or --region), AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY or the default
             credential chain, AWS_ENDPOINT_URL_SECRETS_MANAGER. Needs @aws-sdk/client-secrets-manager.
  azure      every enabled secret of the vault (stripe-api-key → STRIPE_API_KEY); AZURE_TENANT_ID +
             AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (AZURE_AUTHORITY_HOST) or DefaultAzureCredential.
             Needs @azure/keyvault-secrets and @azure/identity.
  infisical  the secrets of one folder (--path, default /) of a project's environment (db-url → DB_URL);
             INFISICAL_CLIENT_ID + INFISICAL_CLIENT_SECRET (universal auth), INFISICAL_SITE_URL
             (default Infisical Cloud). Needs @infisical/sdk.

Everything is checked first: a bad line, an invalid or duplicated secret name is named (file:line,
or every problem of a --from source at once) and nothing is written. Then a plan (names and
actions, never values): create, set (a stub gets its first value), overwrite, skip-existing,
skip-empty, skip-disabled, skip-held. --dry-run stops there. The writes go over the admin API; an
existing value is kept unless --overwrite. In a protected environment a write is held for approval
(reported per name). When some writes fail, import says which names were written and which were
not, and exits 1: running it again completes the rest.

Exit codes: 0 done, 1 a refused write or a bad entry, 2 usage (or a missing SDK), 3 credentials
refused (Keyward's or the store's), 4 the service or the store could not be reached.

  --format F        the file's format (default: detected)
  --from S          read from vault, aws, azure or infisical instead of a file
  --path P          vault: the KV path to import below; infisical: the folder (default /)
  --mount M         vault: the KV v2 mount (default "secret")
  --field F         vault: the field holding the value (default "value")
  --prefix P        aws: only names starting with P (cut from the names)
  --region R        aws: the region (default AWS_REGION)
  --json-keys       aws: split a JSON object value into NAME_KEY secrets
  --vault-url URL   azure: the vault, e.g. https://my-vault.vault.azure.net
  --project ID      infisical: the project id
  --env SLUG        infisical: the environment slug (dev, prod, ...)
  --environment E   the Keyward environment to write to (default: the profile's, else the service's default)
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
  prefix: { type: "string" },
  region: { type: "string" },
  "json-keys": { type: "boolean" },
  "vault-url": { type: "string" },
  project: { type: "string" },
  env: { type: "string" },
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

type Flags = { [K in Exclude<keyof typeof FLAGS, "dry-run" | "overwrite" | "json" | "environment" | "profile">]?: (typeof FLAGS)[K]["type"] extends "boolean" ? boolean | undefined : string | undefined };

function fromFile(flags: Flags, positionals: string[]): { file: string; format: string; entries: ImportEntry[] } {
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError("missing FILE, e.g. keyward import .env (or --from vault|aws|azure|infisical)");
  if (extra.length > 0) throw new UsageError(`import takes one FILE, got also "${extra[0]}"`);
  for (const flag of ALL_SOURCE_FLAGS) if (flags[flag] !== undefined) throw new UsageError(`--${flag} goes with --from, not with a FILE`);
  if (flags.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(", ")}, got "${flags.format}"`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as NodeJS.ErrnoException).code ?? "unreadable"}`, EXIT.failed);
  }
  // Strict: a file in another encoding (Latin-1) would be imported with U+FFFD in its values.
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new UsageError(`${file} is not valid UTF-8 text: convert it (e.g. iconv -f latin1 -t utf-8) and import again`);
  return { file, ...parseImportFile(text, file, flags.format as ImportFormat | undefined) };
}

/** The flags each --from source takes; any other source flag is refused, naming where it goes. */
const SOURCE_FLAGS = {
  vault: ["path", "mount", "field"],
  aws: ["prefix", "region", "json-keys"],
  azure: ["vault-url"],
  infisical: ["project", "env", "path"],
} as const;
type Source = keyof typeof SOURCE_FLAGS;
const ALL_SOURCE_FLAGS = [...new Set(Object.values(SOURCE_FLAGS).flat())];
const trimSlashes = (p: string) => p.replace(/^\/+|\/+$/g, "");

/** --from vault|aws|azure|infisical: the source is named ("vault:<mount>/<prefix>", "aws:<prefix>", …) where a file name would stand. */
async function fromProvider(flags: Flags, positionals: string[], env: NodeJS.ProcessEnv): Promise<{ file: string; format: string; entries: ImportEntry[] }> {
  const from = flags.from!;
  if (!Object.hasOwn(SOURCE_FLAGS, from)) throw new UsageError(`--from must be one of ${Object.keys(SOURCE_FLAGS).join(", ")}, got "${from}"`);
  const source = from as Source;
  if (positionals.length > 0) throw new UsageError(`--from ${source} reads no FILE, got "${positionals[0]}"`);
  if (flags.format !== undefined) throw new UsageError("--format goes with a FILE, not with --from");
  for (const flag of ALL_SOURCE_FLAGS) {
    if (flags[flag] !== undefined && !(SOURCE_FLAGS[source] as readonly string[]).includes(flag)) {
      const owners = (Object.keys(SOURCE_FLAGS) as Source[]).filter((s) => (SOURCE_FLAGS[s] as readonly string[]).includes(flag));
      throw new UsageError(`--${flag} goes with --from ${owners.join(" or ")}, not with --from ${source}`);
    }
  }
  const nonEmpty = (flag: "field" | "prefix" | "region") => {
    if (flags[flag] === "") throw new UsageError(`--${flag} is empty; leave it out or give a value`);
  };
  if (source === "vault") {
    if (flags.path === undefined || trimSlashes(flags.path) === "") throw new UsageError("--from vault needs --path PREFIX, the KV path to import below (e.g. --path apps/billing)");
    nonEmpty("field");
    const prefix = trimSlashes(flags.path);
    const entries = await readVaultImport(env, { prefix, mount: flags.mount, field: flags.field ?? "value" });
    return { file: `vault:${flags.mount ?? "secret"}/${prefix}`, format: "vault-kv", entries };
  }
  if (source === "aws") {
    nonEmpty("prefix");
    nonEmpty("region");
    const prefix = flags.prefix ?? "";
    const entries = await readAwsImport(env, { prefix, region: flags.region, jsonKeys: flags["json-keys"] === true });
    return { file: `aws:${prefix || "*"}`, format: "aws-secrets-manager", entries };
  }
  if (source === "azure") {
    if (!flags["vault-url"]) throw new UsageError("--from azure needs --vault-url URL, e.g. --vault-url https://my-vault.vault.azure.net");
    const entries = await readAzureImport(env, { vaultUrl: flags["vault-url"] });
    return { file: `azure:${flags["vault-url"]}`, format: "azure-key-vault", entries };
  }
  if (!flags.project) throw new UsageError("--from infisical needs --project ID, the project's id");
  if (!flags.env) throw new UsageError("--from infisical needs --env SLUG, the Infisical environment (e.g. dev, prod)");
  const folder = `/${trimSlashes(flags.path ?? "/")}`;
  const entries = await readInfisicalImport(env, { projectId: flags.project, environment: flags.env, folder });
  return { file: `infisical:${flags.env}${folder}`, format: "infisical", entries };
}

export function runImportCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, IMPORT_HELP, FLAGS, async ({ values: flags, positionals }) => {
    const { file, format, entries } = flags.from !== undefined ? await fromProvider(flags, positionals, io.env) : fromFile(flags, positionals);
    const connection = resolveConnection(io.env, { ...(flags.profile !== undefined ? { profile: flags.profile } : {}), ...(flags.environment !== undefined ? { environment: flags.environment } : {}) });
    const admin = adminClientFor(connection, fetch, stderrOf(io));
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
