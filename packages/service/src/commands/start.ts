import { grpcTransport } from "../listener-security.js";
import { startSecretsService } from "../start.js";
import { portOption, runCommand, UsageError, type CommandIo } from "@keyward/common";

export const START_HELP = `Usage: keyward-service start [--data-dir DIR] [--host HOST] [--grpc-port N] [--http-port N] [--console-dir DIR]

Opens the database (embedded PGlite in <data-dir>/pglite, or DATABASE_URL), migrates it, loads or
creates the keys, and serves gRPC (services) and the admin HTTP API (/api, /healthz, /readyz,
/metrics, and the console at /admin when a console directory is given).

On SIGTERM or SIGINT it stops accepting calls, drains the ones in flight (up to
KEYWARD_SHUTDOWN_TIMEOUT_MS, default 10000), closes the database and exits 0.

Options override the environment: KEYWARD_DATA_DIR, KEYWARD_HOST, KEYWARD_GRPC_PORT,
KEYWARD_HTTP_PORT, KEYWARD_CONSOLE_DIR. See "keyward-service help" for the service's variables;
the notification settings and KEYWARD_AUDIT_ARCHIVE_S3_FORCE_PATH_STYLE are in the service README
("Configuration").

On the first start it creates a bootstrap owner admin token and keeps only its hash. On a terminal
the token is shown once; otherwise (a container, systemd, a pipe: output that is a log) it is written
to <data-dir>/bootstrap-admin-token, readable only by this user, and later starts warn until that
file is deleted. KEYWARD_BOOTSTRAP_TOKEN_OUTPUT=file always uses the file (a container run with a
terminal, whose output is still a log). A lost owner token is replaced with "keyward-service admin-keys create".

A host that is not loopback (127.0.0.0/8, ::1, localhost) needs TLS on both listeners
(KEYWARD_GRPC_TLS_CERT_FILE/_KEY_FILE and KEYWARD_HTTP_TLS_CERT_FILE/_KEY_FILE; "keyward-service
certs" makes development ones), or KEYWARD_ALLOW_INSECURE=1 when a TLS-terminating proxy is in
front, which is warned about at every start.
`;

/** Resolves on the first SIGTERM or SIGINT, with its name. */
function nextShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", on);
      process.off("SIGINT", on);
      resolve(signal);
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
}

const START_FLAGS = {
  "data-dir": { type: "string" },
  host: { type: "string" },
  "grpc-port": { type: "string" },
  "http-port": { type: "string" },
  "console-dir": { type: "string" },
} as const;

export function runStartCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, START_HELP, START_FLAGS, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`start takes no arguments, got "${positionals.join(" ")}"`);
    // Listen before starting so a signal during startup is not lost (it is honoured once started).
    const signal = nextShutdownSignal();
    // On a terminal the token is shown once; otherwise the output is a log (a container, systemd,
    // a pipe), where a token must not go: it is written to a file only this user can read.
    // KEYWARD_BOOTSTRAP_TOKEN_OUTPUT=file asks for the file on a terminal too (docker run -t logs it).
    const onTerminal = (io.stdout as NodeJS.WriteStream).isTTY === true;
    const service = await startSecretsService({
      env: io.env,
      ...(onTerminal ? {} : { bootstrapToken: "file" as const }),
      dataDir: values["data-dir"],
      host: values.host,
      grpcPort: portOption(values["grpc-port"], "--grpc-port"),
      httpPort: portOption(values["http-port"], "--http-port"),
      consoleDir: values["console-dir"],
    });
    const lines = [
      "",
      "Keyward is running.",
      `  gRPC (services):    ${service.grpcAddress}${service.config.grpcTls ? `  (${grpcTransport(service.config)})` : ""}`,
      `  Admin API:          ${service.adminUrl}/api`,
      `  Health:             ${service.adminUrl}/healthz  ${service.adminUrl}/readyz  ${service.adminUrl}/metrics`,
    ];
    if (service.config.consoleDir) lines.push(`  Admin console:      ${service.adminUrl}/admin/`);
    lines.push(`  Data directory:     ${service.config.dataDir}`, `  Database:           ${service.config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite"}`);
    if (service.bootstrapToken) {
      // Shown once, on first start only; the service keeps only its hash.
      lines.push("", "First start: a bootstrap admin token was created. It is shown only now; store it safely:", `  Bootstrap admin token: ${service.bootstrapToken}`);
    }
    if (service.bootstrapTokenFile) {
      lines.push(
        "",
        "First start: a bootstrap admin token was created. This output is not a terminal, so the token is not shown;",
        "it is in a file only this user can read. Store it safely, then delete the file:",
        `  Bootstrap admin token file: ${service.bootstrapTokenFile}`,
      );
    }
    io.stdout.write(lines.join("\n") + "\n\n");
    const received = await signal;
    io.stdout.write(`${received}: shutting down, draining calls in flight\n`);
    await service.close();
    io.stdout.write("Keyward stopped.\n");
    return 0;
  });
}
