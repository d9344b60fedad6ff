import { AdminApiError, unwrap } from "@keyward/admin-client";
import { runCommand, UsageError, type CommandIo, type CommandRunner } from "@keyward/common";
import type { ChangeRequest, ChangeRequestStatus, CurrentAdmin } from "@keyward/spec";
import { targetEnvironments } from "../admin/environments.js";
import { allPages } from "../admin/pages.js";
import { openSession, SESSION_FLAGS, type Session } from "../admin/session.js";
import { CHANGE_REQUEST_ID, changeCondition, changeSummary, requester, shownStatus, timeLeft } from "../change-requests/describe.js";
import { decisionRefusal, type ChangeDecision } from "../change-requests/refusal.js";
import { CliError, EXIT } from "../exit-codes.js";
import { badge } from "../output/badge.js";
import { painter, printRows, type Colour } from "../output/format.js";
import { runSubcommand } from "./subcommands.js";

export const CHANGE_REQUESTS_HELP = `Usage:
  keyward change-requests list [--environment NAME] [--status pending|approved|rejected|expired|applied|all]
  keyward change-requests show ID
  keyward change-requests approve ID
  keyward change-requests reject ID

In a protected environment a change (a value set, a rollback, a disable or delete, a token approved,
access granted, the environment's own settings) is held as a change request until enough other
people approve it; the last approval needed applies it. Nobody approves their own request (not with
this key, another key of the same owner, or the same sign-in); the requester may reject (withdraw)
it. A request left undecided expires. No command shows a value: a held value stays sealed in the
service and is destroyed when the request is rejected, expires or is applied.

list shows the pending requests of every environment you may see, newest first (ID, ENVIRONMENT,
CHANGE, REQUESTED_BY, APPROVALS given/needed, EXPIRES, STATUS); show one request's details; approve
says "approved (1 of 2)" or "approved and applied"; reject says "rejected".

  --environment NAME   list: only this environment (the profile's environment does not filter);
                       show, approve, reject: refuse unless the request is in NAME
  --status STATUS      list: pending (the default), approved, rejected, expired, applied or all
  --json               JSON for scripts (list: the requests; the others: the request after it)
  --profile NAME       use this saved profile

Approving and rejecting need the owner or admin role. Exit codes: 0 done, 1 refused (unknown id,
your own request, approved by you already, expired or already decided, the change can no longer
apply), 2 usage (e.g. an ID that is not cr_ and 32 hex digits), 3 not logged in or not allowed,
4 unreachable.
`;

const STATUSES: readonly ChangeRequestStatus[] = ["pending", "approved", "rejected", "expired", "applied"];

/** The subcommands, by name (the top-level help lists them from here). */
export const CHANGE_REQUESTS_SUBCOMMANDS: Record<string, CommandRunner> = {
  list: runList,
  show: runShow,
  approve: (a, i) => runDecide(a, i, "approve"),
  reject: (a, i) => runDecide(a, i, "reject"),
};

export function runChangeRequestsCommand(argv: string[], io: CommandIo): Promise<number> {
  return runSubcommand(argv, io, "change-requests", CHANGE_REQUESTS_HELP, CHANGE_REQUESTS_SUBCOMMANDS);
}

/** The one change request ID a subcommand acts on, checked before any request. */
function oneId(positionals: string[], sub: string): string {
  if (positionals.length !== 1) throw new UsageError(`change-requests ${sub} takes one change request ID (see keyward change-requests list), got ${positionals.length}`);
  const id = positionals[0]!;
  if (!CHANGE_REQUEST_ID.test(id)) throw new UsageError(`"${id}" is not a change request ID: it is cr_ and 32 hex digits (see keyward change-requests list)`);
  return id;
}

/** The caller, to mark its own requests "(you)". */
const whoAmI = (session: Session): Promise<CurrentAdmin> => unwrap(session.admin.GET("/api/me"));

/** One change request; an unknown id is a one-line error (exit 1). */
async function readRequest(session: Session, id: string): Promise<ChangeRequest> {
  try {
    return await unwrap(session.admin.GET("/api/change-requests/{id}", { params: { path: { id } } }));
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 404) throw new CliError(`no change request with id ${id}; see keyward change-requests list --status all`, EXIT.failed);
    throw error;
  }
}

/** With --environment, a request elsewhere is refused before anything is decided. */
function checkEnvironment(request: ChangeRequest, environment: string | undefined, doing: string): void {
  if (environment !== undefined && request.environment !== environment) {
    throw new CliError(`change request ${request.id} is in ${request.environment}, not ${environment}; nothing was ${doing}`, EXIT.failed);
  }
}

function runList(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, CHANGE_REQUESTS_HELP, { ...SESSION_FLAGS, status: { type: "string" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`change-requests list takes no arguments, got "${positionals[0]}"`);
    const status = values.status ?? "pending";
    if (status !== "all" && !STATUSES.includes(status as ChangeRequestStatus)) throw new UsageError(`--status must be pending, approved, rejected, expired, applied or all, got "${status}"`);
    const session = openSession(io, values);
    const me = await whoAmI(session);
    // --environment filters (an unknown name is a usage error naming those that exist); without it
    // every environment in one list, or for a key scoped to some, each of those in turn.
    const environments: (string | undefined)[] = values.environment !== undefined ? await targetEnvironments(session, false) : me.environments !== null ? await targetEnvironments(session, true) : [undefined];
    const items: ChangeRequest[] = [];
    for (const environment of environments) {
      const query = { ...(environment !== undefined ? { environment } : {}), ...(status !== "all" ? { status: status as ChangeRequestStatus } : {}), limit: 500 };
      items.push(...(await allPages((cursor) => unwrap(session.admin.GET("/api/change-requests", { params: { query: { ...query, ...(cursor ? { cursor } : {}) } } })))));
    }
    const paint = painter(io.stdout, io.env);
    const now = Date.now();
    printRows(
      io.stdout,
      session.json,
      items,
      {
        ID: (r) => r.id,
        ENVIRONMENT: (r) => r.environment,
        CHANGE: changeSummary,
        REQUESTED_BY: (r) => requester(r, me),
        APPROVALS: (r) => `${r.approvals.length}/${r.approvalsRequired}`,
        EXPIRES: (r) => r.expiresAt,
        STATUS: (r) => badge(paint, shownStatus(r, now)),
      },
      `no ${status === "all" ? "" : `${status} `}change requests${values.environment !== undefined ? ` in ${values.environment}` : ""}`,
    );
    return EXIT.ok;
  });
}

/** One request as lines of "label  value" for a person. */
function details(request: ChangeRequest, me: CurrentAdmin, paint: (colour: Colour, text: string) => string): string {
  const now = Date.now();
  const status = shownStatus(request, now);
  const condition = changeCondition(request);
  const lines: [string, string][] = [
    ["change request", request.id],
    ["environment", request.environment],
    ["change", `${changeSummary(request)}${condition ? `, ${condition}` : ""}`],
    ["kind", `${request.kind} (target ${request.target})`],
  ];
  if (request.holdsValue) lines.push(["value", "held sealed in the service; never shown, destroyed when the request is rejected, expires or is applied"]);
  lines.push(["status", badge(paint, status)]);
  lines.push(["requested by", `${requester(request, me)} at ${request.createdAt}`]);
  lines.push(["approvals", `${request.approvals.length} of ${request.approvalsRequired} needed`]);
  for (const a of request.approvals) lines.push(["", `${a.actor}${a.owner ? ` (owner ${a.owner})` : ""} at ${a.at}`]);
  lines.push(["expires", request.status === "pending" ? `${request.expiresAt} (${timeLeft(request.expiresAt, now)})` : request.expiresAt]);
  if (request.decidedAt) lines.push(["decided", `${request.decidedAt}${request.decidedBy ? ` by ${request.decidedBy}` : ""}`]);
  const width = Math.max(...lines.map(([label]) => label.length));
  const text = lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  if (status === "pending") text.push("", `decide: keyward change-requests approve ${request.id}  |  keyward change-requests reject ${request.id}`);
  return text.join("\n") + "\n";
}

function runShow(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, CHANGE_REQUESTS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    const id = oneId(positionals, "show");
    const session = openSession(io, values);
    const request = await readRequest(session, id);
    checkEnvironment(request, values.environment, "shown");
    if (session.json) io.stdout.write(JSON.stringify(request, null, 2) + "\n");
    else io.stdout.write(details(request, await whoAmI(session), painter(io.stdout, io.env)));
    return EXIT.ok;
  });
}

/** What a decision did, in one line: "approved (1 of 2): …", "approved and applied: …", "rejected: …". */
function decidedMessage(request: ChangeRequest, decision: ChangeDecision): string {
  const what = `${changeSummary(request)} in ${request.environment} (change request ${request.id})`;
  if (decision === "reject") return `rejected: ${what}; nothing was changed${request.kind === "secret.set_value" ? " and the held value was destroyed" : ""}`;
  const given = request.approvals.length;
  const needed = request.approvalsRequired;
  if (request.status === "applied") return `approved and applied: ${what}`;
  if (request.status === "pending") return `approved (${given} of ${needed}): ${what}; waiting for ${needed - given} more approval(s) until ${request.expiresAt}`;
  return `approved: ${what}; it is ${request.status}`;
}

function runDecide(argv: string[], io: CommandIo, decision: ChangeDecision): Promise<number> {
  return runCommand(argv, io, CHANGE_REQUESTS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    const id = oneId(positionals, decision);
    const session = openSession(io, values);
    if (values.environment !== undefined) checkEnvironment(await readRequest(session, id), values.environment, decision === "approve" ? "approved" : "rejected");
    const params = { params: { path: { id } } };
    let request: ChangeRequest;
    try {
      request = await unwrap(decision === "approve" ? session.admin.POST("/api/change-requests/{id}/approve", params) : session.admin.POST("/api/change-requests/{id}/reject", params));
    } catch (error) {
      throw (await decisionRefusal(error, id, decision, () => unwrap(session.admin.GET("/api/change-requests/{id}", params)))) ?? error;
    }
    if (session.json) io.stdout.write(JSON.stringify(request, null, 2) + "\n");
    else io.stdout.write(`${decidedMessage(request, decision)}\n`);
    return EXIT.ok;
  });
}
