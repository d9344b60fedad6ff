import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import { unwrap } from "@keyward/admin-client";
import { EXIT } from "../exit-codes.js";
import { printRows } from "../output/format.js";
import { preflightSecrets, verdicts } from "../preflight/verdict.js";
import { adminClientFor, resolveConnection, stderrOf } from "../profile/connection.js";
import { environmentFor, resolveAppTarget, serviceNameFor } from "../run/app-target.js";

export const PREFLIGHT_HELP = `Usage:
  keyward preflight [--app DIR | --schema PATH] [--service NAME] [--environment E] [--json]

A deploy gate: for every secret of the app's combined schema, whether the app will get it when it
starts in that environment: the value (set, stub, missing, disabled), its access (granted,
pending, denied, none), the app's token (approved, pending, expired, revoked, none), rotation
(ok, due, overdue), and whether the current value satisfies the schema's rules (pattern,
minLength, maxLength, enum, format). The service answers from metadata, checks rules without
returning a value, and audits the question. An optional secret that will not be served is shown
but does not fail the gate.

  --app DIR          the app package (default: the current directory)
  --schema PATH      one secrets.schema.json instead of a package's combined schema
  --service NAME     the app's service name (default: KEYWARD_SERVICE_NAME, the app's .env, else its
                     package.json name without its @scope/, as keyward onboard offers it)
  --environment E    the target environment (default: KEYWARD_ENVIRONMENT, the app's .env, package.json
                     "keyward", the profile's environment, else the service's default)
  --json             the report as JSON
  --profile NAME     the saved profile to use

Exit codes: 0 every required secret will be served; 5 some will not (each named with why);
3 not logged in or not allowed; 4 unreachable; 2 usage; 1 a bad schema or a refused request.
`;

const FLAGS = {
  app: { type: "string" },
  schema: { type: "string" },
  service: { type: "string" },
  environment: { type: "string" },
  json: { type: "boolean" },
  profile: { type: "string" },
} as const;

export function runPreflightCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, PREFLIGHT_HELP, FLAGS, async ({ values: flags, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`preflight takes no arguments, got "${positionals[0]}" (use --app DIR)`);
    const target = resolveAppTarget({ ...(flags.app !== undefined ? { app: flags.app } : {}), ...(flags.schema !== undefined ? { schema: flags.schema } : {}) }, process.cwd());
    const secrets = preflightSecrets(target.schema);
    if (secrets.length === 0) throw new UsageError(`the app at ${target.dir} declares no secrets; nothing to check`);
    const service = serviceNameFor(target, flags.service, io.env);
    const connection = resolveConnection(io.env, flags.profile !== undefined ? { profile: flags.profile } : {});
    const environment = environmentFor(target, flags.environment, io.env) ?? connection.environment;
    const admin = adminClientFor(connection, fetch, stderrOf(io));
    const report = await unwrap(admin.POST("/api/preflight", { body: { service, secrets, ...(environment !== undefined ? { environment } : {}) } }));
    const rows = verdicts(report.results, target.schema);
    const blocking = rows.filter((r) => r.blocks);
    if (flags.json) {
      io.stdout.write(JSON.stringify({ service: report.service, environment: report.environment, ready: blocking.length === 0, results: rows }, null, 2) + "\n");
    } else {
      printRows(
        io.stdout,
        false,
        rows,
        {
          NAME: (r) => r.name,
          VALUE: (r) => r.valueState,
          ACCESS: (r) => r.access,
          TOKEN: (r) => r.token,
          ROTATION: (r) => r.rotation,
          RULE: (r) => (r.rule === "fails" ? `fails: ${r.failedRule ?? "rules"}` : r.rule),
          VERDICT: (r) => r.verdict,
        },
        "no secrets",
      );
      const differing = rows.filter((r) => r.rule === "differs").map((r) => r.name);
      if (differing.length > 0) {
        // The server checks a value only against the rules stored for it (no caller can probe a value with rules of its own).
        io.stdout.write(`note: the rules this schema declares for ${differing.join(", ")} differ from the ones stored for ${differing.length === 1 ? "it" : "them"} (declared by the service's earlier reads), so the value${differing.length === 1 ? " was" : "s were"} not checked against them; the typed client checks them when the app starts\n`);
      }
      const served = rows.filter((r) => r.served).length;
      io.stdout.write(
        blocking.length === 0
          ? `preflight ${report.service} in ${report.environment}: ready, ${served} of ${rows.length} secrets will be served\n`
          : `preflight ${report.service} in ${report.environment}: NOT ready, ${blocking.length} required secret${blocking.length === 1 ? "" : "s"} will not be served: ${blocking.map((r) => `${r.name} (${r.verdict.slice("NOT served: ".length)})`).join(", ")}\n`,
      );
    }
    return blocking.length === 0 ? 0 : EXIT.notReady;
  });
}
