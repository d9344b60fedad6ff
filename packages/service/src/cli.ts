import { parseArgs } from "node:util";
import { isKeywardError } from "@keyward/common";
import { startSecretsService } from "./start.js";

const HELP = `keyward-service: run the Keyward secrets service

Usage:
  keyward-service start [--data-dir DIR] [--host HOST] [--grpc-port N] [--http-port N]

With no options and no environment it runs on embedded PGlite in ./data, gRPC on 127.0.0.1:50051
and the admin API on http://127.0.0.1:8080.

Environment: KEYWARD_DATA_DIR, DATABASE_URL (PostgreSQL), KEYWARD_MASTER_KEY (base64, 32 bytes),
KEYWARD_AUDIT_KEY, KEYWARD_HOST, KEYWARD_GRPC_PORT, KEYWARD_HTTP_PORT, KEYWARD_LOG_LEVEL.
`;

function portFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "data-dir": { type: "string" },
      host: { type: "string" },
      "grpc-port": { type: "string" },
      "http-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (command !== "start") {
    process.stderr.write(`keyward-service: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const service = await startSecretsService({
    dataDir: values["data-dir"],
    host: values.host,
    grpcPort: portFlag(values["grpc-port"], "--grpc-port"),
    httpPort: portFlag(values["http-port"], "--http-port"),
  });
  const lines = [
    "",
    "Keyward is running.",
    `  gRPC (services):    ${service.grpcAddress}`,
    `  Admin API:          ${service.adminUrl}/api`,
    `  Data directory:     ${service.config.dataDir}`,
  ];
  if (service.bootstrapToken) {
    // Shown once, on first start only; the service keeps only its hash.
    lines.push("", "First start: a bootstrap admin token was created. It is shown only now; store it safely:", `  Bootstrap admin token: ${service.bootstrapToken}`);
  }
  process.stdout.write(lines.join("\n") + "\n\n");
  const stop = () => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures (bad config, missing key) print their message only, never a stack or a value.
    process.stderr.write(`keyward-service: ${isKeywardError(error) || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
