import { assertNever, type CommandIo, formatTable, KeywardError, runCommand, serviceNameProblem, UsageError } from "@keyward/common";
import { appendAudit, decideAccessRequest, listAccessRequests, type AccessStatus, type Database, type Environment } from "@keyward/db";
import type { Kysely } from "kysely";
import { loadFittingAuditKey } from "../audit-key.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";
import { cliActor } from "../tokens/approve.js";
import { assertUnprotected, BREAK_GLASS_FLAGS, BREAK_GLASS_HELP, breakGlassReason } from "./break-glass.js";
import { environmentFlag, environmentsFlag } from "./environment-flag.js";

export const ACCESS_HELP = `Usage:
  keyward-service access list [--environment NAME] [--status STATUS] [--json] [--data-dir DIR]
  keyward-service access approve <request-id> [--environment NAME] [--break-glass --reason "<why>"] [--data-dir DIR]
  keyward-service access approve --service NAME --secret NAME [--environment NAME] [--break-glass --reason "<why>"] [--data-dir DIR]

list prints the access requests (a service asking for a secret): id, service, secret, environment,
status (pending, granted, denied, revoked); of one environment with --environment, else of every
environment; --status filters.

approve grants one request, by id or by service and secret, in the environment (default: the
instance's default environment), with its audit row (actor "cli:<user>@<host>") in the same
transaction. A grant is per (service, secret, environment).

  --environment NAME   the environment; an unknown name is an error (exit 2).
${BREAK_GLASS_HELP}

Uses DATABASE_URL, or the embedded database in the data directory (stop the service first).
approve needs the audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key).
`;

const STATUSES = ["pending", "granted", "denied", "revoked"] as const;

export function runAccessCommand(argv: string[], io: CommandIo): Promise<number> {
  const flags = { "data-dir": { type: "string" }, environment: { type: "string" }, json: { type: "boolean" }, status: { type: "string" }, service: { type: "string" }, secret: { type: "string" }, ...BREAK_GLASS_FLAGS } as const;
  return runCommand(argv, io, ACCESS_HELP, flags, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    if (action !== "list" && action !== "approve") throw new UsageError(action === undefined ? "missing subcommand: access list (or access approve)" : `unknown access subcommand "${action}"; expected "list" or "approve"`);
    if (values.status !== undefined && !(STATUSES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}, got "${values.status}"`);
    if (action === "list") {
      if (rest.length > 0) throw new UsageError(`access list takes no arguments, got ${rest.length}`);
      if (values.service !== undefined || values.secret !== undefined) throw new UsageError("--service and --secret go with access approve");
      if (values["break-glass"] || values.reason !== undefined) throw new UsageError("--break-glass and --reason go with access approve");
    } else {
      if (values.json || values.status !== undefined) throw new UsageError(`--${values.json ? "json" : "status"} goes with access list`);
      const byName = values.service !== undefined || values.secret !== undefined;
      if (byName && rest.length > 0) throw new UsageError("give either a request id or --service NAME --secret NAME, not both");
      if (byName && (values.service === undefined || values.secret === undefined)) throw new UsageError("--service and --secret go together");
      if (!byName && rest.length !== 1) throw new UsageError(rest.length === 0 ? "missing the request id (or --service NAME --secret NAME)" : `expected one request id, got ${rest.length}`);
      const problem = values.service === undefined ? undefined : serviceNameProblem(values.service);
      if (problem) throw new UsageError(`--service "${values.service}": ${problem}`);
    }
    const breakGlass = action === "approve" ? breakGlassReason(values) : undefined;
    const config = commandConfig(io.env, values["data-dir"]);
    const database = await openExistingDatabase(config);
    try {
      if (action === "list") {
        const rows: ListedAccess[] = [];
        for (const environment of await environmentsFlag(database.db, values.environment)) rows.push(...(await requestsOf(database.db, environment, values.status as AccessStatus | undefined)));
        io.stdout.write(values.json ? JSON.stringify(rows, null, 2) + "\n" : rows.length === 0 ? "no access requests\n" : accessTable(rows) + "\n");
        return 0;
      }
      const environment = await environmentFlag(database.db, values.environment);
      assertUnprotected(environment, breakGlass, "granting access");
      const auditKey = await loadFittingAuditKey(database.db, io.env, config.dataDir);
      let id = rest[0];
      if (id === undefined) {
        const page = await listAccessRequests(database.db, { environmentId: environment.id, serviceName: values.service!, secretName: values.secret!, limit: 1 });
        id = page.items[0]?.id;
        if (id === undefined) throw new KeywardError("not_found", `service "${values.service}" has not asked for ${values.secret} in environment ${environment.name}: run the app there once, then retry`);
      }
      const actor = cliActor();
      const at = new Date();
      const result = await database.db.transaction().execute(async (trx) => {
        const r = await decideAccessRequest(trx, { environmentId: environment.id, id: id!, decision: "grant", actor, at });
        if (r.kind === "ok") await appendAudit(trx, auditKey, { at, actor_type: "cli", actor_id: actor, action: "access.grant", target: `access:${r.request.service_name}/${r.request.secret_name}`, result: "ok", reason: breakGlass ?? null, environment: environment.name });
        return r;
      });
      switch (result.kind) {
        case "ok":
          io.stdout.write(`granted ${result.request.service_name} access to ${result.request.secret_name} in environment ${environment.name}${breakGlass ? " (break-glass)" : ""}\n`);
          return 0;
        case "not_found":
          throw new KeywardError("not_found", `no access request with id ${id} in environment ${environment.name}`);
        default:
          return assertNever(result, "access decision");
      }
    } finally {
      await database.close();
    }
  });
}

export interface ListedAccess {
  id: string;
  serviceName: string;
  secretName: string;
  environment: string;
  status: string;
  requestedAt: string;
}

async function requestsOf(db: Kysely<Database>, environment: Environment, status: AccessStatus | undefined): Promise<ListedAccess[]> {
  const out: ListedAccess[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAccessRequests(db, { environmentId: environment.id, limit: 500, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    for (const r of page.items) out.push({ id: r.id, serviceName: r.service_name, secretName: r.secret_name, environment: environment.name, status: r.status, requestedAt: new Date(r.requested_at).toISOString() });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

function accessTable(rows: ListedAccess[]): string {
  return formatTable(["ID", "SERVICE", "SECRET", "ENVIRONMENT", "STATUS", "REQUESTED"], rows.map((r) => [r.id, r.serviceName, r.secretName, r.environment, r.status, r.requestedAt]));
}
