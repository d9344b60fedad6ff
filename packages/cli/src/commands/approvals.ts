import { runCommand, UsageError, type CommandIo, type CommandRunner } from "@keyward/common";
import { targetEnvironments } from "../admin/environments.js";
import { openSession, SESSION_FLAGS } from "../admin/session.js";
import { decide, type Decision } from "../approvals/decide.js";
import { grantAhead, parseGrants } from "../approvals/grant-rules.js";
import { itemEnvironment, loadPending, registeredFrom, type PendingKind } from "../approvals/pending.js";
import { reviewPending } from "../approvals/review.js";
import { selectPending } from "../approvals/select.js";
import { CliError, EXIT } from "../exit-codes.js";
import { printRows } from "../output/format.js";
import { isInteractive } from "../prompt/terminal.js";
import { runSubcommand } from "./subcommands.js";

export const APPROVALS_HELP = `Usage:
  keyward approvals                      review what waits, one at a time (needs a terminal)
  keyward approvals list [--json]
  keyward approvals approve ID... | --service NAME [--secret GLOB] [--kind token|access] [--grant SECRETS]
  keyward approvals deny ID...    | --service NAME [--secret GLOB] [--kind token|access]

What waits for an admin: service tokens that registered and access requests of services that
asked for a secret. The review shows each one (service, version, where it registered from,
environment, the secret asked for and its description); keys: ↑/↓ or j/k move, a approve, d deny,
s skip, q quit. Denying a token revokes it. In a protected environment an approval is held as a
change request for another person ("held for a second approver: change request <id>"), exit 0;
they decide it with keyward change-requests approve|reject <id>.

  --environment NAME    the environment to look in (default: the profile's, else the instance's default)
  --all-environments    look in every environment
  --service NAME        decide everything pending of this service
  --secret GLOB         only access requests for secrets matching GLOB (* and ?), e.g. 'STRIPE_*'
  --kind token|access   only tokens, or only access requests
  --grant SECRETS       with approve --service: also grant the service these secrets (names or globs,
                        comma-separated) ahead of its asking, as access.grant approval rules of the
                        environment (audited; refused in a protected environment). The service's next
                        request for one is granted at once. With --grant, nothing pending is fine.
  --json                JSON for scripts
  --profile NAME        use this saved profile

Exit codes: 0 done (held counts as done), 1 the service refused a decision or nothing matched,
2 usage, 3 not logged in or not allowed, 4 unreachable.
`;

const FLAGS = { ...SESSION_FLAGS, "all-environments": { type: "boolean" } } as const;
const DECIDE_FLAGS = { ...FLAGS, service: { type: "string" }, secret: { type: "string" }, kind: { type: "string" }, grant: { type: "string" } } as const;

/** The subcommands, by name (the top-level help lists them from here). */
export const APPROVALS_SUBCOMMANDS: Record<string, CommandRunner> = { list: runList, approve: (a, i) => runDecide(a, i, "approve"), deny: (a, i) => runDecide(a, i, "deny") };

export function runApprovalsCommand(argv: string[], io: CommandIo): Promise<number> {
  return runSubcommand(argv, io, "approvals", APPROVALS_HELP, APPROVALS_SUBCOMMANDS, runReview);
}

function runReview(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, APPROVALS_HELP, FLAGS, async ({ values }) => {
    if (!isInteractive(io.stdin)) throw new UsageError("the review needs a terminal; in scripts use keyward approvals list|approve|deny");
    const session = openSession(io, values);
    const environments = await targetEnvironments(session, values["all-environments"] === true);
    const items = await loadPending(session, environments);
    if (items.length === 0) {
      io.stdout.write(`nothing waits for approval in ${environments.join(", ")}\n`);
      return EXIT.ok;
    }
    return reviewPending(session, items, { input: io.stdin, output: io.stdout, env: io.env });
  });
}

function runList(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, APPROVALS_HELP, FLAGS, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`approvals list takes no arguments, got "${positionals[0]}"`);
    const session = openSession(io, values);
    const environments = await targetEnvironments(session, values["all-environments"] === true);
    const items = await loadPending(session, environments);
    printRows(
      io.stdout,
      session.json,
      items,
      {
        KIND: (i) => i.kind,
        ID: (i) => i.id,
        ENVIRONMENT: itemEnvironment,
        SERVICE: (i) => (i.kind === "token" ? i.token.serviceName : i.request.serviceName),
        ASKS: (i) => (i.kind === "token" ? `token, version ${i.token.serviceVersion}` : `read ${i.request.secretName}`),
        DETAIL: (i) => (i.kind === "token" ? `from ${registeredFrom(i.token)}${i.token.sameNameApproved > 0 ? `; ${i.token.sameNameApproved} approved token(s) share the name` : ""}` : (i.description ?? "")),
      },
      `nothing waits for approval in ${environments.join(", ")}`,
    );
    return EXIT.ok;
  });
}

function runDecide(argv: string[], io: CommandIo, decision: Decision): Promise<number> {
  return runCommand(argv, io, APPROVALS_HELP, DECIDE_FLAGS, async ({ values, positionals }) => {
    const kind = values.kind;
    if (kind !== undefined && kind !== "token" && kind !== "access") throw new UsageError(`--kind must be token or access, got "${kind}"`);
    if (values.grant !== undefined && decision === "deny") throw new UsageError("--grant goes with approve");
    const grants = parseGrants(values.grant, values.service);
    if (grants.length > 0 && values["all-environments"]) throw new UsageError("--grant acts in one environment; drop --all-environments (or pass --environment NAME)");
    const session = openSession(io, values);
    const environments = await targetEnvironments(session, values["all-environments"] === true);
    const items = await loadPending(session, environments);
    const selection = { ids: positionals, service: values.service, secret: values.secret, kind: kind as PendingKind | undefined };
    // Granting ahead with nothing pending is fine: the rules are the point.
    const picked = grants.length > 0 && !items.some((i) => (i.kind === "token" ? i.token.serviceName : i.request.serviceName) === values.service) ? [] : selectPending(items, selection, environments.join(", "));
    const results = [];
    for (const item of picked) {
      const result = await decide(session, item, decision);
      results.push(result);
      if (!session.json) (result.outcome === "failed" ? io.stderr : io.stdout).write(`${result.message}\n`);
    }
    const granted = grants.length > 0 ? await grantAhead(session, environments[0]!, values.service!, grants) : [];
    if (!session.json) for (const g of granted) io.stdout.write(`${g.outcome === "created" ? "granted" : "already granted"} ${g.secret} to ${values.service} in ${g.environment} (rule ${g.ruleId})\n`);
    if (session.json) io.stdout.write(JSON.stringify(grants.length > 0 ? { decisions: results, grants: granted } : results, null, 2) + "\n");
    if (results.some((r) => r.outcome === "failed")) throw new CliError(`${results.filter((r) => r.outcome === "failed").length} of ${results.length} decisions were refused (above)`, EXIT.failed);
    return EXIT.ok;
  });
}
