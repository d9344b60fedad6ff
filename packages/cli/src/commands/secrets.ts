import { unwrap, unwrapChange, type ChangeOutcome } from "@keyward/admin-client";
import { runCommand, runWithHelp, UsageError, type CommandIo, type CommandRunner } from "@keyward/common";
import { SECRET_TYPES, type ChangeRequest, type Secret, type SecretTypeName } from "@keyward/spec";
import { allPages } from "../admin/pages.js";
import { environmentQuery, openSession, SESSION_FLAGS, type Session } from "../admin/session.js";
import { CliError, EXIT } from "../exit-codes.js";
import { badge } from "../output/badge.js";
import { painter, printRows } from "../output/format.js";
import { heldMessage } from "../output/held.js";
import { readSecret } from "../prompt/read-secret.js";
import { runSubcommand } from "./subcommands.js";

export const SECRETS_HELP = `Usage:
  keyward secrets list [--status stub|active|disabled] [--rotation ok|due_soon|overdue|no_value] [--search TEXT]
  keyward secrets create NAME [--description TEXT] [--type TYPE] [--rotation-days N] [--with-value]
  keyward secrets set NAME [--expected-version N] [--description TEXT [--type TYPE]]   (the value from a hidden prompt or stdin)
  keyward secrets disable NAME
  keyward secrets enable NAME
  keyward secrets rollback NAME --to VERSION [--expected-version N]
  keyward secrets versions NAME
  keyward secrets test NAME                      (the server tests the stored credential against its provider)
  keyward secrets retest NAME --every HOURS|off  (scheduled re-tests of the credential)

Values go in, never out: no command prints a value, and a value is never taken from argv (it would
end up in shell history and the process list). set reads it from a hidden prompt on a terminal,
else from stdin (one trailing newline dropped), e.g.  pass show stripe | keyward secrets set STRIPE_KEY

  --environment NAME   the environment to act in (default: the profile's, else the instance's default)
  --json               JSON for scripts
  --profile NAME       use this saved profile
  --type TYPE          a secret type (listed below)
  --with-value         create: also read a first value (prompt or stdin)
  --description TEXT   set: create the secret with this description (and --type) when the
                       environment does not have it yet; without it, a missing secret is an error
                       (an app that asks for a secret creates it as a stub). Use the description of
                       the app's schema, so the service records no mismatch.

In a protected environment set, disable and rollback are held as a change request for another
person; the command says "held for a second approver: change request <id>" and exits 0 (they
decide it with keyward change-requests approve|reject <id>; the value stays sealed until then).
Types: ${SECRET_TYPES.join(", ")}
(certificate is an alias of pem-certificate), or a custom type registered on the service (kebab
case; GET /api/secret-types lists them). The service checks every value against its type.
test prints the credential's state (connected, or error with the provider's short error text) and
exits 1 when the credential does not work; list shows it in the CREDENTIAL column.
Exit codes: 0 done or held, 1 refused (unknown secret, conflict, invalid value) or a failing
credential, 2 usage, 3 not logged in or not allowed, 4 unreachable.
`;

/** A type name as the API takes it: a built-in one, or a custom one the service names if it does not know it. */
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
function typeFlag(type: string | undefined): SecretTypeName | undefined {
  if (type !== undefined && !KEBAB.test(type)) throw new UsageError(`--type must be one of ${SECRET_TYPES.join(", ")}, or a custom type's kebab-case name; got "${type}"`);
  return type;
}

/** The subcommands, by name (the top-level help lists them from here). */
export const SECRETS_SUBCOMMANDS: Record<string, CommandRunner> = { list: runList, create: runCreate, set: runSet, disable: runToggle("disable"), enable: runToggle("enable"), rollback: runRollback, versions: runVersions, test: runTest, retest: runRetest };

export function runSecretsCommand(argv: string[], io: CommandIo): Promise<number> {
  return runSubcommand(argv, io, "secrets", SECRETS_HELP, SECRETS_SUBCOMMANDS);
}

/** The one NAME a subcommand acts on; anything more is refused without echoing it (it may be a value). */
function secretName(positionals: string[], sub: string): string {
  if (positionals.length === 0) throw new UsageError(`secrets ${sub} needs the secret's NAME, e.g. keyward secrets ${sub} STRIPE_KEY`);
  if (positionals.length > 1) throw new UsageError(`secrets ${sub} takes one NAME; ${positionals.length - 1} more argument(s) refused and nothing written (a value is never read from argv)`);
  return positionals[0]!;
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

/** Whether argv tries to pass a value as a flag (refused before parsing, so the refusal never echoes it). */
const hasValueFlag = (argv: string[]): boolean => argv.some((a) => a === "--value" || a.startsWith("--value="));

function refuseValueFlag(io: CommandIo): Promise<number> {
  return runWithHelp(io, SECRETS_HELP, () => {
    throw new UsageError("--value is not accepted: a value on the command line ends up in shell history and the process list; type it at the hidden prompt or pipe it on stdin");
  });
}

/** Prints what a change came to: done (its own line) or held by a protected environment. */
function report<T>(io: CommandIo, session: Session, outcome: ChangeOutcome<T>, done: (data: Exclude<T, ChangeRequest>) => string): number {
  if (session.json) io.stdout.write(JSON.stringify(outcome, null, 2) + "\n");
  else io.stdout.write(`${outcome.kind === "held" ? heldMessage(outcome.changeRequest) : done(outcome.data)}\n`);
  return EXIT.ok;
}

function runList(argv: string[], io: CommandIo): Promise<number> {
  const flags = { ...SESSION_FLAGS, status: { type: "string" }, rotation: { type: "string" }, search: { type: "string" } } as const;
  return runCommand(argv, io, SECRETS_HELP, flags, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`secrets list takes no arguments, got "${positionals[0]}"`);
    const status = values.status;
    if (status !== undefined && !["stub", "active", "disabled"].includes(status)) throw new UsageError(`--status must be stub, active or disabled, got "${status}"`);
    const rotation = values.rotation;
    if (rotation !== undefined && !["ok", "due_soon", "overdue", "no_value"].includes(rotation)) throw new UsageError(`--rotation must be ok, due_soon, overdue or no_value, got "${rotation}"`);
    const session = openSession(io, values);
    const query = {
      ...environmentQuery(session),
      ...(status !== undefined ? { status: status as Secret["status"] } : {}),
      ...(rotation !== undefined ? { rotation: rotation as Secret["rotation"]["state"] } : {}),
      ...(values.search !== undefined ? { q: values.search } : {}),
      limit: 500,
    };
    const items = await allPages((cursor) => unwrap(session.admin.GET("/api/secrets", { params: { query: { ...query, ...(cursor ? { cursor } : {}) } } })));
    const paint = painter(io.stdout, io.env);
    printRows(
      io.stdout,
      session.json,
      items,
      {
        NAME: (s) => s.name,
        STATUS: (s) => badge(paint, s.status),
        TYPE: (s) => s.type,
        VERSION: (s) => String(s.currentVersion),
        ROTATION: (s) => (s.rotation.daysLeft === null ? badge(paint, s.rotation.state) : `${badge(paint, s.rotation.state)} (${s.rotation.daysLeft}d)`),
        CREDENTIAL: (s) => (s.credential.testable || s.credential.state !== "untested" ? badge(paint, s.credential.state) : "-"),
        ENVIRONMENT: (s) => s.environment,
        DESCRIPTION: (s) => s.description,
      },
      `no secrets${session.environment ? ` in ${session.environment}` : ""}${status || rotation || values.search ? " match" : ""}`,
    );
    return EXIT.ok;
  });
}

function runCreate(argv: string[], io: CommandIo): Promise<number> {
  const flags = { ...SESSION_FLAGS, description: { type: "string" }, type: { type: "string" }, "rotation-days": { type: "string" }, "with-value": { type: "boolean" } } as const;
  if (hasValueFlag(argv)) return refuseValueFlag(io);
  return runCommand(argv, io, SECRETS_HELP, flags, async ({ values, positionals }) => {
    const name = secretName(positionals, "create");
    const type = values.type;
    typeFlag(type);
    const rotationDays = wholeNumber(values["rotation-days"], "--rotation-days");
    const session = openSession(io, values);
    const value = values["with-value"] ? await readSecret(io.stdin, io.stderr, `value of ${name}`) : undefined;
    const body = {
      name,
      ...(values.description !== undefined ? { description: values.description } : {}),
      ...(type !== undefined ? { type: type } : {}),
      ...(rotationDays !== undefined ? { rotationDays } : {}),
      ...(value !== undefined ? { value } : {}),
    };
    const secret = await unwrap(session.admin.POST("/api/secrets", { params: { query: environmentQuery(session) }, body }));
    if (session.json) io.stdout.write(JSON.stringify(secret, null, 2) + "\n");
    else io.stdout.write(`created ${secret.name} in ${secret.environment} (${secret.status}${value !== undefined ? `, version ${secret.currentVersion}` : "; set its value with keyward secrets set " + secret.name})\n`);
    return EXIT.ok;
  });
}

function runSet(argv: string[], io: CommandIo): Promise<number> {
  if (hasValueFlag(argv)) return refuseValueFlag(io);
  const flags = { ...SESSION_FLAGS, "expected-version": { type: "string" }, description: { type: "string" }, type: { type: "string" } } as const;
  return runCommand(argv, io, SECRETS_HELP, flags, async ({ values, positionals }) => {
    const name = secretName(positionals, "set");
    const expectedVersion = wholeNumber(values["expected-version"], "--expected-version");
    const type = values.type;
    if (type !== undefined && values.description === undefined) throw new UsageError("--type goes with --description (they create a missing secret)");
    typeFlag(type);
    const session = openSession(io, values);
    const query = environmentQuery(session);
    // Look before reading the value, so a missing secret is named before anyone types a value.
    const exists = await session.admin.GET("/api/secrets/{name}", { params: { path: { name }, query } });
    if (exists.response.status === 404 && values.description === undefined) {
      throw new CliError(`${name} does not exist in ${session.environment ?? "the default environment"}: pass --description "…" to create it here, or let the app ask for it first (that records a stub)`, EXIT.failed);
    }
    if (exists.response.status !== 404) await unwrap(Promise.resolve(exists));
    const value = await readSecret(io.stdin, io.stderr, `value of ${name}`);
    if (exists.response.status === 404) {
      const body = { name, description: values.description!, ...(type !== undefined ? { type: type } : {}), value };
      const created = await unwrapChange(session.admin.POST("/api/secrets", { params: { query }, body }));
      return report(io, session, created, (r) => `created ${r.name} in ${r.environment}: version ${r.currentVersion}`);
    }
    const body = { value, ...(expectedVersion !== undefined ? { expectedVersion } : {}) };
    const outcome = await unwrapChange(session.admin.PUT("/api/secrets/{name}/value", { params: { path: { name }, query }, body }));
    return report(io, session, outcome, (r) => `set ${r.name} in ${r.environment}: version ${r.version}`);
  });
}

function runToggle(action: "disable" | "enable") {
  return (argv: string[], io: CommandIo): Promise<number> =>
    runCommand(argv, io, SECRETS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
      const name = secretName(positionals, action);
      const session = openSession(io, values);
      const params = { params: { path: { name }, query: environmentQuery(session) } };
      const outcome =
        action === "disable"
          ? await unwrapChange(session.admin.POST("/api/secrets/{name}/disable", params))
          : ({ kind: "done", data: await unwrap(session.admin.POST("/api/secrets/{name}/enable", params)) } as const);
      return report(io, session, outcome, (s) => `${action}d ${s.name} in ${s.environment} (now ${s.status})`);
    });
}

function runRollback(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SECRETS_HELP, { ...SESSION_FLAGS, to: { type: "string" }, "expected-version": { type: "string" } }, async ({ values, positionals }) => {
    const name = secretName(positionals, "rollback");
    const toVersion = wholeNumber(values.to, "--to");
    if (toVersion === undefined) throw new UsageError(`secrets rollback needs --to VERSION (see keyward secrets versions ${name})`);
    const expectedVersion = wholeNumber(values["expected-version"], "--expected-version");
    const session = openSession(io, values);
    const body = { toVersion, ...(expectedVersion !== undefined ? { expectedVersion } : {}) };
    const outcome = await unwrapChange(session.admin.POST("/api/secrets/{name}/rollback", { params: { path: { name }, query: environmentQuery(session) }, body }));
    return report(io, session, outcome, (r) => `rolled ${r.name} back to the value of version ${toVersion} in ${r.environment}: now version ${r.version}`);
  });
}

function runVersions(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SECRETS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    const name = secretName(positionals, "versions");
    const session = openSession(io, values);
    const { items } = await unwrap(session.admin.GET("/api/secrets/{name}/versions", { params: { path: { name }, query: environmentQuery(session) } }));
    printRows(io.stdout, session.json, items, { VERSION: (v) => `${v.version}${v.current ? " (current)" : ""}`, CREATED: (v) => v.createdAt, BY: (v) => v.createdBy, KEY: (v) => v.keyId }, `${name} has no versions yet (a stub); set one with keyward secrets set ${name}`);
    return EXIT.ok;
  });
}

function runTest(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SECRETS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    const name = secretName(positionals, "test");
    const session = openSession(io, values);
    const secret = await unwrap(session.admin.POST("/api/secrets/{name}/test-connection", { params: { path: { name }, query: environmentQuery(session) } }));
    const { credential } = secret;
    if (session.json) io.stdout.write(JSON.stringify(secret, null, 2) + "\n");
    else {
      const paint = painter(io.stdout, io.env);
      io.stdout.write(`${secret.name} in ${secret.environment}: ${badge(paint, credential.state)}${credential.state === "error" ? ` (${credential.lastErrorCode}: ${credential.lastError})` : ""}\n`);
    }
    return credential.state === "connected" ? EXIT.ok : EXIT.failed;
  });
}

function runRetest(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SECRETS_HELP, { ...SESSION_FLAGS, every: { type: "string" } }, async ({ values, positionals }) => {
    const name = secretName(positionals, "retest");
    if (values.every === undefined) throw new UsageError(`secrets retest needs --every HOURS (1 to 8760) or --every off`);
    const everyHours = values.every === "off" ? null : wholeNumber(values.every, "--every")!;
    if (everyHours !== null && (everyHours < 1 || everyHours > 8760)) throw new UsageError(`--every must be from 1 to 8760 hours, or off; got ${everyHours}`);
    const session = openSession(io, values);
    const secret = await unwrap(session.admin.PUT("/api/secrets/{name}/verification", { params: { path: { name }, query: environmentQuery(session) }, body: { everyHours } }));
    if (session.json) io.stdout.write(JSON.stringify(secret, null, 2) + "\n");
    else io.stdout.write(everyHours === null ? `${name} in ${secret.environment}: scheduled re-tests off\n` : `${name} in ${secret.environment}: re-tested every ${everyHours} h, next at ${secret.credential.nextCheckAt}\n`);
    return EXIT.ok;
  });
}
