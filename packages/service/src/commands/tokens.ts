import { assertNever, type CommandIo, KeywardError, runCommand, serviceNameProblem, UsageError } from "@keyward/common";
import { assertAuditKeyFits, loadExistingAuditKey } from "../audit-key.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";
import { approveTokenHeadless, cliActor } from "../tokens/approve.js";
import { listTokensForCli, tokensTable } from "../tokens/list-all.js";
import { pendingTokensForService } from "../tokens/pending-for-service.js";
import { assertUnprotected, BREAK_GLASS_FLAGS, BREAK_GLASS_HELP, breakGlassReason } from "./break-glass.js";
import { environmentFlag } from "./environment-flag.js";

export const TOKENS_HELP = `Usage:
  keyward-service tokens approve <token-id> [--environment NAME] [--break-glass --reason "<why>"] [--data-dir DIR]
  keyward-service tokens approve --service NAME [--all] [--allow-shared-name] [--environment NAME] [--break-glass --reason "<why>"] [--data-dir DIR]
  keyward-service tokens list [--environment NAME] [--json] [--data-dir DIR]

list prints every service token (id, service, environment, status, when and where it registered;
never the token), of one environment with --environment, else of every environment.

approve approves a pending service token without the admin API, for headless setups (a deploy script that
registers a service and approves it). Each approval writes an audit row (actor "cli:<user>@<host>")
in the same transaction.

  --environment NAME
                  the environment the token is bound to (default: the instance's default
                  environment); a token of another environment is not found.
  --service NAME  approve the pending token of this service. If it has more than one pending token
                  this refuses, since one of them may not be yours; pass --all to approve them all.
  --allow-shared-name
                  with --service: also approve when the service name already has approved tokens.
                  Such a token inherits every grant of the name, so it could be someone else
                  claiming it (compare where it registered from); without this flag it is refused.
${BREAK_GLASS_HELP}

Uses DATABASE_URL, or the embedded database in the data directory (stop the service first: the
embedded database is single-process). Needs the audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key).
`;

export function runTokensCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, TOKENS_HELP, { "data-dir": { type: "string" }, environment: { type: "string" }, json: { type: "boolean" }, service: { type: "string" }, all: { type: "boolean" }, "allow-shared-name": { type: "boolean" }, ...BREAK_GLASS_FLAGS }, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    if (action === "list") {
      if (values["break-glass"] || values.reason !== undefined) throw new UsageError("--break-glass and --reason go with tokens approve");
      return listTokens(io, values, rest);
    }
    if (action !== "approve") throw new UsageError(action === undefined ? "missing subcommand: tokens approve (or tokens list)" : `unknown tokens subcommand "${action}"; expected "approve" or "list"`);
    if (values.json) throw new UsageError("--json goes with tokens list");
    if (values.service !== undefined && rest.length > 0) throw new UsageError("give either a token id or --service NAME, not both");
    if (values.service === undefined && (values.all || values["allow-shared-name"])) throw new UsageError(`--${values.all ? "all" : "allow-shared-name"} goes with --service NAME`);
    if (values.service === undefined && rest.length !== 1) throw new UsageError(rest.length === 0 ? "missing the token id (or --service NAME)" : `expected one token id, got ${rest.length}`);
    if (values.service !== undefined) {
      const problem = serviceNameProblem(values.service);
      if (problem) throw new UsageError(`--service "${values.service}": ${problem}`);
    }
    if (rest[0] !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(rest[0])) throw new UsageError(`"${rest[0]}" is not a token id (ids are letters, digits, - and _)`);

    const breakGlass = breakGlassReason(values);
    const config = commandConfig(io.env, values["data-dir"]);
    const auditKey = loadExistingAuditKey(io.env, config.dataDir);
    const database = await openExistingDatabase(config);
    try {
      await assertAuditKeyFits(database.db, auditKey, io.env, config.dataDir);
      const environment = await environmentFlag(database.db, values.environment);
      assertUnprotected(environment, breakGlass, "approving a token");
      let ids = rest;
      if (values.service !== undefined) {
        const pending = await pendingTokensForService(database.db, { environmentId: environment.id, serviceName: values.service });
        ids = pending.map((t) => t.id);
        if (ids.length === 0) throw new KeywardError("not_found", `service "${values.service}" has no pending token in environment ${environment.name}: run the app once so it registers, then retry`);
        if (ids.length > 1 && !values.all) {
          throw new KeywardError("conflict", `service "${values.service}" has ${ids.length} pending tokens (${ids.join(", ")}): approve one by id, or pass --all`);
        }
        const shared = pending.find((t) => t.sameNameApproved > 0);
        if (shared && !values["allow-shared-name"]) {
          const from = pending.map((t) => `${t.id} from ${t.peerAddress ?? "an unknown address"}${t.certificate ? ` (${t.certificate})` : ""}`).join(", ");
          throw new KeywardError(
            "conflict",
            `service "${values.service}" already has ${shared.sameNameApproved} approved token(s); a new one would inherit their grants, so it may be someone else claiming the name. Pending: ${from}. Check it, then approve it by id or pass --allow-shared-name`,
          );
        }
      }
      let failures = 0;
      for (const id of ids) {
        const outcome = await approveTokenHeadless(database.db, auditKey, { id, environment, actor: cliActor(), at: new Date(), ...(breakGlass ? { reason: breakGlass } : {}) });
        switch (outcome.kind) {
          case "approved":
            io.stdout.write(`approved token ${outcome.id} (service ${outcome.serviceName}, environment ${environment.name})${breakGlass ? " (break-glass)" : ""}\n`);
            break;
          case "not_found":
            failures++;
            io.stderr.write(`error: no service token with id ${outcome.id} in environment ${environment.name}\n`);
            break;
          case "invalid_transition":
            failures++;
            io.stderr.write(`error: token ${outcome.id} is ${outcome.status} and cannot be approved\n`);
            break;
          default:
            assertNever(outcome, "approve outcome");
        }
      }
      return failures === 0 ? 0 : 1;
    } finally {
      await database.close();
    }
  });
}

/** tokens list: reads only, so it needs no audit key. */
async function listTokens(io: CommandIo, values: { "data-dir"?: string | undefined; environment?: string | undefined; json?: boolean | undefined; service?: string | undefined; all?: boolean | undefined }, rest: string[]): Promise<number> {
  if (rest.length > 0) throw new UsageError(`tokens list takes no arguments, got ${rest.length}`);
  if (values.service !== undefined || values.all) throw new UsageError(`--${values.service !== undefined ? "service" : "all"} goes with tokens approve`);
  const database = await openExistingDatabase(commandConfig(io.env, values["data-dir"]));
  try {
    const environment = values.environment === undefined ? undefined : await environmentFlag(database.db, values.environment);
    const rows = await listTokensForCli(database.db, environment);
    io.stdout.write(values.json ? JSON.stringify(rows, null, 2) + "\n" : rows.length === 0 ? "no service tokens\n" : tokensTable(rows) + "\n");
    return 0;
  } finally {
    await database.close();
  }
}
