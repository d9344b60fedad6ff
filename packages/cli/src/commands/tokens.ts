import { AdminApiError, unwrap, unwrapChange } from "@keyward/admin-client";
import { runCommand, UsageError, type CommandIo, type CommandRunner } from "@keyward/common";
import type { ServiceToken } from "@keyward/spec";
import { allPages } from "../admin/pages.js";
import { environmentQuery, openSession, SESSION_FLAGS } from "../admin/session.js";
import { registeredFrom } from "../approvals/pending.js";
import { CliError, EXIT } from "../exit-codes.js";
import { badge } from "../output/badge.js";
import { painter, printRows } from "../output/format.js";
import { heldMessage } from "../output/held.js";
import { runSubcommand } from "./subcommands.js";

export const TOKENS_HELP = `Usage:
  keyward tokens list [--status pending|approved|revoked] [--service NAME]
  keyward tokens approve ID [--expires-at TIME | --no-expiry]
  keyward tokens revoke ID

Service tokens are bound to one environment for life; approve and revoke act in --environment (the
profile's, else the instance's default), so give the token's environment when it is another.
Approving an approved token again changes its expiry. A revoked token can never be used again.
The token itself is never shown: only its record (service, version, where it registered from).

  --expires-at TIME    approve until TIME (RFC 3339 with a zone, e.g. 2027-01-31T00:00:00Z)
  --no-expiry          approve with no expiry (clears one set before)
  --environment NAME   the environment the token is bound to
  --json               JSON for scripts
  --profile NAME       use this saved profile

In a protected environment an approval is held as a change request for another person ("held for
a second approver: change request <id>"), exit 0; they decide it with keyward change-requests.
Exit codes: 0 done or held, 1 refused (unknown or revoked token), 2 usage, 3 not logged in or not
allowed, 4 unreachable.
`;

/** The subcommands, by name (the top-level help lists them from here). */
export const TOKENS_SUBCOMMANDS: Record<string, CommandRunner> = { list: runList, approve: runApprove, revoke: runRevoke };

export function runTokensCommand(argv: string[], io: CommandIo): Promise<number> {
  return runSubcommand(argv, io, "tokens", TOKENS_HELP, TOKENS_SUBCOMMANDS);
}

function oneId(positionals: string[], sub: string): string {
  if (positionals.length !== 1) throw new UsageError(`tokens ${sub} takes one token ID (see keyward tokens list), got ${positionals.length}`);
  return positionals[0]!;
}

/** A 404 for a token usually means another environment: say so. */
async function boundHint<T>(session: { environment: string | undefined }, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 404) {
      throw new CliError(`${error.message} in ${session.environment ?? "the default environment"}; a token is bound to one environment: give it with --environment NAME (keyward tokens list --environment NAME)`, EXIT.failed);
    }
    throw error;
  }
}

// A token registered without a version reads "billing (…)", not "billing  (…)".
const describe = (t: ServiceToken) => `${[t.serviceName, t.serviceVersion].filter(Boolean).join(" ")} (${t.id}, ${t.environment})`;

function runList(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, TOKENS_HELP, { ...SESSION_FLAGS, status: { type: "string" }, service: { type: "string" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`tokens list takes no arguments, got "${positionals[0]}"`);
    const status = values.status;
    if (status !== undefined && !["pending", "approved", "revoked"].includes(status)) throw new UsageError(`--status must be pending, approved or revoked, got "${status}"`);
    const session = openSession(io, values);
    const query = { ...environmentQuery(session), ...(status !== undefined ? { status: status as ServiceToken["status"] } : {}), ...(values.service !== undefined ? { service: values.service } : {}), limit: 500 };
    const items = await allPages((cursor) => unwrap(session.admin.GET("/api/service-tokens", { params: { query: { ...query, ...(cursor ? { cursor } : {}) } } })));
    const paint = painter(io.stdout, io.env);
    printRows(
      io.stdout,
      session.json,
      items,
      {
        ID: (t) => t.id,
        SERVICE: (t) => t.serviceName,
        VERSION: (t) => t.serviceVersion,
        STATUS: (t) => badge(paint, t.expired ? "expired" : t.status),
        ENVIRONMENT: (t) => t.environment,
        FROM: registeredFrom,
        EXPIRES: (t) => t.expiresAt ?? "never",
        LAST_USED: (t) => t.lastUsedAt ?? "never",
      },
      "no service tokens match",
    );
    return EXIT.ok;
  });
}

function runApprove(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, TOKENS_HELP, { ...SESSION_FLAGS, "expires-at": { type: "string" }, "no-expiry": { type: "boolean" } }, async ({ values, positionals }) => {
    const id = oneId(positionals, "approve");
    if (values["expires-at"] !== undefined && values["no-expiry"]) throw new UsageError("give --expires-at or --no-expiry, not both");
    const session = openSession(io, values);
    const body = values["no-expiry"] ? { expiresAt: null } : values["expires-at"] !== undefined ? { expiresAt: values["expires-at"] } : {};
    const outcome = await boundHint(session, unwrapChange(session.admin.POST("/api/service-tokens/{id}/approve", { params: { path: { id }, query: environmentQuery(session) }, body })));
    if (session.json) io.stdout.write(JSON.stringify(outcome, null, 2) + "\n");
    else if (outcome.kind === "held") io.stdout.write(`${heldMessage(outcome.changeRequest)}\n`);
    else io.stdout.write(`approved ${describe(outcome.data)}${outcome.data.expiresAt ? `, until ${outcome.data.expiresAt}` : ", no expiry"}\n`);
    return EXIT.ok;
  });
}

function runRevoke(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, TOKENS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    const id = oneId(positionals, "revoke");
    const session = openSession(io, values);
    const token = await boundHint(session, unwrap(session.admin.POST("/api/service-tokens/{id}/revoke", { params: { path: { id }, query: environmentQuery(session) } })));
    if (session.json) io.stdout.write(JSON.stringify(token, null, 2) + "\n");
    else io.stdout.write(`revoked ${describe(token)}; it can never be used again\n`);
    return EXIT.ok;
  });
}
