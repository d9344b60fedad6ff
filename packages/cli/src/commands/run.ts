import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import { EXIT } from "../exit-codes.js";
import { appClient } from "../run/app-client.js";
import { resolveAppTarget } from "../run/app-target.js";
import { forwardSignals, startChild, stopChild, type ChildHandle } from "../run/child.js";
import { fetchAppValues } from "../run/fetch-values.js";

export const RUN_HELP = `Usage:
  keyward run [--app DIR | --schema PATH] [--service NAME] [--environment E] [--token-file F]
              [--service-url HOST:PORT] [--watch] -- COMMAND [ARGS...]

Runs COMMAND with every secret of the app's combined schema (its secrets.schema.json plus its
dependencies') injected as environment variables of the same names, fetched over gRPC with the
app's own service token: for apps that are not TypeScript. The values exist only in COMMAND's
environment: never in a file, a log, or keyward's own output.

On first use the token is created (0600) and registered; while it, or access to a secret, waits
for an admin, run prints what waits (names only) and exits 5 without running COMMAND.
SIGINT, SIGTERM and SIGHUP are passed on; run exits with COMMAND's code (128 + N for signal N).

  --app DIR              the app package (default: the current directory)
  --schema PATH          one secrets.schema.json instead of a package's combined schema
  --service NAME         the app's service name (default: KEYWARD_SERVICE_NAME, the app's .env, else its
                         package.json name without its @scope/, as keyward onboard offers it)
  --environment E        the environment (default: KEYWARD_ENVIRONMENT, the app's .env, package.json "keyward")
  --token-file F         the app's service token file (default: KEYWARD_TOKEN_FILE, the app's .env,
                         else DIR/.keyward/service-token); KEYWARD_TOKEN may hold the token instead
  --service-url H:P      the gRPC API (default: KEYWARD_SERVICE_URL, KEYWARD_URL when host:port, the
                         app's .env KEYWARD_URL, else 127.0.0.1:50051)
  --watch                restart COMMAND (SIGTERM, wait, start again) when a value it holds changes

Exit codes: COMMAND's own; 5 when something waits for approval; 3 token revoked or expired;
4 service unreachable; 2 usage; 1 other failures (a disabled or denied secret, an invalid value).
`;

const FLAGS = {
  app: { type: "string" },
  schema: { type: "string" },
  service: { type: "string" },
  environment: { type: "string" },
  "token-file": { type: "string" },
  "service-url": { type: "string" },
  watch: { type: "boolean" },
} as const;

const sameValues = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export function runRunCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, RUN_HELP, FLAGS, async ({ values: flags, positionals }) => {
    const [command, ...args] = positionals;
    if (command === undefined) throw new UsageError("missing the command to run, e.g. keyward run -- node server.js");
    const cwd = process.cwd();
    const target = resolveAppTarget({ ...(flags.app !== undefined ? { app: flags.app } : {}), ...(flags.schema !== undefined ? { schema: flags.schema } : {}) }, cwd);
    const clientFlags = {
      ...(flags.service !== undefined ? { service: flags.service } : {}),
      ...(flags.environment !== undefined ? { environment: flags.environment } : {}),
      ...(flags["token-file"] !== undefined ? { tokenFile: flags["token-file"] } : {}),
      ...(flags["service-url"] !== undefined ? { serviceUrl: flags["service-url"] } : {}),
    };
    // Set once the command runs: a change (or watching again after a gap, when changes may have been missed) re-fetches.
    let onChange: (name: string | undefined) => void = () => undefined;
    const { client, service, url } = appClient(target, clientFlags, io.env, cwd, flags.watch ? { watch: true, onChange: (name) => onChange(name), onResubscribed: () => onChange(undefined) } : {});
    try {
      const outcome = await fetchAppValues(client, service, url);
      if (outcome.kind === "waiting") {
        io.stderr.write(`keyward run: not starting ${command}; waiting for an admin:\n${outcome.waits.map((w) => `  ${w}`).join("\n")}\n`);
        return EXIT.notReady;
      }
      let held = outcome.values;
      const childEnv = (values: Record<string, string>) => ({ ...io.env, ...values });
      let child: ChildHandle = startChild(command, args, childEnv(held));
      let stopping = false;
      let restarting: Promise<void> = Promise.resolve();
      // SIGINT and SIGTERM end the command: no restart after them. SIGHUP often means "reload", so --watch goes on.
      const removeHandlers = forwardSignals(
        () => child,
        (signal) => {
          if (signal !== "SIGHUP") stopping = true;
        },
      );
      onChange = (name) => {
        if (stopping) return;
        restarting = restarting.then(async () => {
          if (stopping) return;
          const next = await fetchAppValues(client, service, url).catch((error: Error) => ({ kind: "error" as const, message: error.message }));
          if (next.kind !== "ready") {
            const why = next.kind === "error" ? next.message : next.waits.join("; ");
            io.stderr.write(`keyward run: ${name ?? "a secret"} changed but cannot be fetched (${why}); ${command} keeps the values it has\n`);
            return;
          }
          if (sameValues(held, next.values) || stopping) return;
          const changed = [...new Set([...Object.keys(held), ...Object.keys(next.values)])].filter((k) => held[k] !== next.values[k]).sort();
          io.stderr.write(`keyward run: ${changed.join(", ")} changed; restarting ${command}\n`);
          await stopChild(child);
          held = next.values;
          if (!stopping) child = startChild(command, args, childEnv(held));
        });
      };
      try {
        for (;;) {
          const current = child;
          const code = await current.exited;
          if (!current.replaced) return code;
          await restarting;
          if (child === current) return code;
        }
      } finally {
        // The command is over: a fetch still in flight must not start it again.
        stopping = true;
        removeHandlers();
      }
    } finally {
      await client.close();
    }
  });
}
