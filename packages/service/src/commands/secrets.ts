import { assertNever, type CommandIo, formatTable, KeywardError, readStdinText, runCommand, UsageError } from "@keyward/common";
import { appendAudit, deleteSecret, listSecrets, setSecretValue, type Environment } from "@keyward/db";
import { loadFittingAuditKey } from "../audit-key.js";
import { createValueCheck } from "@keyward/http";
import { createNodeSecretTypeRegistry } from "@keyward/secret-types/node";
import { loadKeysFor } from "../keys.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";
import { cliActor } from "../tokens/approve.js";
import { assertUnprotected, BREAK_GLASS_FLAGS, BREAK_GLASS_HELP, breakGlassReason } from "./break-glass.js";
import { environmentFlag, environmentsFlag } from "./environment-flag.js";

export const SECRETS_HELP = `Usage:
  keyward-service secrets list [--environment NAME] [--json] [--data-dir DIR]
  keyward-service secrets set NAME [--environment NAME] [--break-glass --reason "<why>"] [--data-dir DIR]   (the value on stdin)
  keyward-service secrets delete NAME [--environment NAME] [--break-glass --reason "<why>"] [--data-dir DIR]

list prints each secret's name, environment, status (stub, active, disabled), version and type;
never a value. Of one environment with --environment, else of every environment.

set reads the value from stdin (one trailing newline is dropped) and stores it as the secret's
next version in the environment (default: the instance's default environment), with its audit
row (actor "cli:<user>@<host>") in the same transaction. The secret must exist there: an app that
asks for it creates a stub. The value is never printed.

delete removes the secret's state and versions in the environment and revokes its grants there,
with its audit row in the same transaction.

  --environment NAME   the environment (development, staging, production, ...); an unknown name
                       is an error (exit 2).
${BREAK_GLASS_HELP}

Uses DATABASE_URL, or the embedded database in the data directory (stop the service first).
set needs the master key and the audit key, like the service; delete needs the audit key.
`;

const MAX_VALUE_BYTES = 64 * 1024;

export function runSecretsCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SECRETS_HELP, { "data-dir": { type: "string" }, environment: { type: "string" }, json: { type: "boolean" }, ...BREAK_GLASS_FLAGS }, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    if (action !== "list" && action !== "set" && action !== "delete") {
      throw new UsageError(action === undefined ? "missing subcommand: secrets list (or secrets set NAME, secrets delete NAME)" : `unknown secrets subcommand "${action}"; expected "list", "set" or "delete"`);
    }
    if (action === "list" && rest.length > 0) throw new UsageError(`secrets list takes no arguments, got ${rest.length}`);
    if (action === "list" && (values["break-glass"] || values.reason !== undefined)) throw new UsageError("--break-glass and --reason go with secrets set and secrets delete");
    if (action !== "list") {
      if (values.json) throw new UsageError("--json goes with secrets list");
      if (rest.length !== 1) throw new UsageError(rest.length === 0 ? `missing the secret name, e.g. secrets ${action} STRIPE_API_KEY` : `expected one secret name, got ${rest.length}`);
      if (!/^[A-Z][A-Z0-9_]*$/.test(rest[0]!)) throw new UsageError(`"${rest[0]}" is not a secret name (an uppercase letter, then uppercase letters, digits and _)`);
    }
    const breakGlass = breakGlassReason(values);
    const config = commandConfig(io.env, values["data-dir"]);
    const database = await openExistingDatabase(config);
    try {
      if (action === "list") {
        const rows: ListedSecret[] = [];
        for (const environment of await environmentsFlag(database.db, values.environment)) rows.push(...(await secretsOf(database.db, environment)));
        io.stdout.write(values.json ? JSON.stringify(rows, null, 2) + "\n" : rows.length === 0 ? "no secrets\n" : secretsTable(rows) + "\n");
        return 0;
      }
      const environment = await environmentFlag(database.db, values.environment);
      if (action === "delete") return await deleteOne(io, database.db, { environment, name: rest[0]!, breakGlass, auditKey: await loadFittingAuditKey(database.db, io.env, config.dataDir) });
      assertUnprotected(environment, breakGlass, "setting a value");
      const value = await readStdinText(io.stdin, "value", MAX_VALUE_BYTES, ': pipe it in, e.g. printf %s "$VALUE" | keyward-service secrets set NAME');
      const actor = cliActor();
      const keys = await loadKeysFor(database.db, { env: io.env, dataDir: config.dataDir, allowCreate: false, actor });
      const name = rest[0]!;
      const at = new Date();
      const result = await database.db.transaction().execute(async (trx) => {
        // The same check as the admin API's: the secret's type and the rules its app declared.
        const r = await setSecretValue(trx, keys.envelope, { environmentId: environment.id, name, value, actor, at, check: createValueCheck(createNodeSecretTypeRegistry()) });
        const why = r.kind === "invalid" ? `invalid_value: ${r.problem}` : r.kind;
        const outcome = r.kind === "ok" ? { result: "ok", reason: breakGlass ?? null } : { result: "refused", reason: breakGlass ? `${why}, ${breakGlass}` : why };
        await appendAudit(trx, keys.auditKey, { at, actor_type: "cli", actor_id: actor, action: "secret.value.set", target: `secret:${name}`, ...outcome, environment: environment.name });
        return r;
      });
      switch (result.kind) {
        case "ok":
          io.stdout.write(`set ${name} in environment ${environment.name}: version ${result.version}\n`);
          return 0;
        case "not_found":
          throw new KeywardError("not_found", `secret ${name} does not exist in environment ${environment.name}: run the app there once so it asks for it (a stub), then retry`);
        case "disabled":
          throw new KeywardError("conflict", `secret ${name} is disabled in environment ${environment.name}: enable it first`);
        case "invalid":
          throw new KeywardError("invalid_argument", `secret ${name} in environment ${environment.name}: ${result.problem}`, { field: "value" });
        case "version_conflict":
          throw new KeywardError("conflict", `secret ${name} changed while setting it (now version ${result.currentVersion}): retry`);
        case "signing_key":
          throw new KeywardError("conflict", `${name} is a signing key in environment ${environment.name}: its key material is generated by Keyward and never set; rotate it instead`);
        default:
          return assertNever(result, "set-value result");
      }
    } finally {
      await database.close();
    }
  });
}

/** secrets delete: the secret's row and versions in one environment go, with its audit row. */
async function deleteOne(io: CommandIo, db: Parameters<typeof deleteSecret>[0], input: { environment: Environment; name: string; breakGlass: string | undefined; auditKey: Uint8Array }): Promise<number> {
  const { environment, name, breakGlass } = input;
  assertUnprotected(environment, breakGlass, "deleting a secret");
  const actor = cliActor();
  const at = new Date();
  const deleted = await db.transaction().execute(async (trx) => {
    const ok = await deleteSecret(trx, { environmentId: environment.id, name, actor, at });
    if (ok) await appendAudit(trx, input.auditKey, { at, actor_type: "cli", actor_id: actor, action: "secret.delete", target: `secret:${name}`, result: "ok", reason: breakGlass ?? null, environment: environment.name });
    return ok;
  });
  if (!deleted) throw new KeywardError("not_found", `secret ${name} does not exist in environment ${environment.name}`);
  io.stdout.write(`deleted ${name} in environment ${environment.name}${breakGlass ? " (break-glass)" : ""}
`);
  return 0;
}

export interface ListedSecret {
  name: string;
  environment: string;
  status: string;
  /** The current version; 0 while the secret has no value (a stub). */
  version: number;
  type: string;
  description: string;
}

async function secretsOf(db: Parameters<typeof listSecrets>[0], environment: Environment): Promise<ListedSecret[]> {
  const out: ListedSecret[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSecrets(db, { environmentId: environment.id, limit: 500, ...(cursor ? { cursor } : {}) });
    for (const s of page.items) out.push({ name: s.name, environment: environment.name, status: s.status, version: s.current_version, type: s.type, description: s.description });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

function secretsTable(rows: ListedSecret[]): string {
  return formatTable(
    ["NAME", "ENVIRONMENT", "STATUS", "VERSION", "TYPE", "DESCRIPTION"],
    rows.map((r) => [r.name, r.environment, r.status, r.version === 0 ? "-" : String(r.version), r.type, r.description]),
  );
}

