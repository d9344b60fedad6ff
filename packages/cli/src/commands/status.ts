import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import { targetEnvironments } from "../admin/environments.js";
import { openSession, SESSION_FLAGS } from "../admin/session.js";
import { EXIT } from "../exit-codes.js";
import { badge } from "../output/badge.js";
import { painter, printRows } from "../output/format.js";
import { collectStatus, waitingCount, type EnvironmentStatus } from "../status/collect.js";

export const STATUS_HELP = `Usage:
  keyward status [--environment NAME | --all-environments] [--json]

What waits for an admin in an environment: service tokens to approve, access requests, stubs
(secrets a service asked for that have no value yet), secrets whose rotation is due soon or
overdue, and change requests held for approval in a protected environment. The last line says
where to act: keyward approvals for tokens and access requests, keyward change-requests list for
held change requests.

  --environment NAME    the environment to look at (default: the profile's, else the instance's default)
  --all-environments    every environment
  --json                {"waiting": N, "environments": [...]} for scripts
  --profile NAME        use this saved profile

Exit codes: 0 nothing waits, 5 something waits (a script can gate on it), 3 not logged in or not
allowed, 4 unreachable, 2 usage.
`;

interface Row {
  environment: string;
  what: string;
  name: string;
  state: string;
  detail: string;
}

/** One line per waiting thing, grouped by environment and kind. */
function rowsOf(s: EnvironmentStatus): Row[] {
  const environment = s.environment;
  return [
    ...s.pendingTokens.map((t) => ({ environment, what: "token", name: `${t.serviceName} ${t.serviceVersion}`, state: "pending", detail: `id ${t.id}, from ${t.registeredFrom.address ?? "unknown address"}` })),
    ...s.accessRequests.map((r) => ({ environment, what: "access", name: `${r.serviceName} → ${r.secretName}`, state: "pending", detail: `id ${r.id}` })),
    ...s.stubs.map((x) => ({ environment, what: "stub", name: x.name, state: "stub", detail: `no value yet: keyward secrets set ${x.name} --environment ${environment}` })),
    ...s.rotationOverdue.map((x) => ({ environment, what: "rotation", name: x.name, state: "overdue", detail: `due ${x.rotation.dueAt ?? "?"} (${-(x.rotation.daysLeft ?? 0)} days ago)` })),
    ...s.rotationDueSoon.map((x) => ({ environment, what: "rotation", name: x.name, state: "due_soon", detail: `due ${x.rotation.dueAt ?? "?"} (in ${x.rotation.daysLeft ?? "?"} days)` })),
    ...s.changeRequests.map((c) => ({ environment, what: "change", name: `${c.kind} ${c.target}`, state: "held", detail: `id ${c.id}, ${c.approvals.length}/${c.approvalsRequired} approvals, by ${c.requestedBy}` })),
  ];
}

export function runStatusCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, STATUS_HELP, { ...SESSION_FLAGS, "all-environments": { type: "boolean" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`status takes no arguments, got "${positionals[0]}"`);
    if (values["all-environments"] && values.environment !== undefined) throw new UsageError("give --environment or --all-environments, not both");
    const session = openSession(io, values);
    const environments = await targetEnvironments(session, values["all-environments"] === true);
    const statuses: EnvironmentStatus[] = [];
    for (const environment of environments) statuses.push(await collectStatus(session, environment));
    const waiting = statuses.reduce((n, s) => n + waitingCount(s), 0);
    if (session.json) {
      io.stdout.write(JSON.stringify({ waiting, environments: statuses }, null, 2) + "\n");
    } else {
      const paint = painter(io.stdout, io.env);
      const where = environments.join(", ");
      printRows(io.stdout, false, statuses.flatMap(rowsOf), { ENVIRONMENT: (r) => r.environment, WHAT: (r) => r.what, NAME: (r) => r.name, STATE: (r) => badge(paint, r.state), DETAIL: (r) => r.detail }, paint("green", `nothing waits in ${where}`));
      if (waiting > 0) io.stdout.write(`\n${summaryLine(statuses)}; ${reviewHint(statuses)}\n`);
    }
    return waiting > 0 ? EXIT.notReady : EXIT.ok;
  });
}

/**
 * Where to act on what waits: held change requests are decided with keyward change-requests; the
 * rest (tokens, access requests, stubs, rotation) starts at keyward approvals, as before.
 */
function reviewHint(statuses: EnvironmentStatus[]): string {
  const held = statuses.some((s) => s.changeRequests.length > 0);
  const others = statuses.some((s) => waitingCount(s) > s.changeRequests.length);
  if (held && others) return "review with keyward approvals, and the change requests with keyward change-requests list";
  return held ? "review with keyward change-requests list" : "review with keyward approvals";
}

function summaryLine(statuses: EnvironmentStatus[]): string {
  const sum = (pick: (s: EnvironmentStatus) => unknown[]) => statuses.reduce((n, s) => n + pick(s).length, 0);
  const parts: [number, string][] = [
    [sum((s) => s.pendingTokens), "token(s) to approve"],
    [sum((s) => s.accessRequests), "access request(s)"],
    [sum((s) => s.stubs), "stub(s) without a value"],
    [sum((s) => s.rotationOverdue), "rotation(s) overdue"],
    [sum((s) => s.rotationDueSoon), "rotation(s) due soon"],
    [sum((s) => s.changeRequests), "change request(s) held"],
  ];
  return `waiting: ${parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`).join(", ")}`;
}
