import net from "node:net";
import path from "node:path";
import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import type { WrittenFile } from "../certs/write-certs.js";

export const CERTS_HELP = `Usage: keyward-service certs [--out DIR] [--host NAME]... [--client NAME]... [--days N]
                             [--force | --keep-existing] [--json]

Makes a development CA and the TLS files Keyward needs (ECDSA P-256), in DIR (default ./tls,
created with mode 0700; private keys are written with mode 0600):

  ca.crt, ca.key                  the CA (valid 10 years); kept and reused when DIR already has one
  server.crt, server.key          the service's certificate for gRPC and the admin API, naming
                                  localhost, 127.0.0.1 and ::1 plus every --host
  client-NAME.crt, client-NAME.key  a client certificate for mutual TLS per --client NAME, naming
                                  URI:spiffe://keyward/service/NAME and DNS:NAME

  --host NAME      another DNS name or IP address the service is reached at (repeatable)
  --client NAME    a client certificate for the service NAME (repeatable)
  --days N         validity of the server and client certificates (default 365, at most the CA's)
  --force          replace existing server and client files
  --keep-existing  keep existing server and client files and exit 0 (an idempotent setup step)
  --json           print what was written as JSON instead of a table

The server certificate is issued again when the CA is new, when it is missing, or when --host is
given; an existing file is never overwritten without --force. Remove ca.crt and ca.key (or use
another --out) to start a new CA. Prints the settings to give the service and each client.

These are for development and for trying TLS end to end; in production use certificates from your
own CA or PKI.
`;

const CERTS_FLAGS = {
  out: { type: "string" },
  host: { type: "string", multiple: true },
  client: { type: "string", multiple: true },
  days: { type: "string" },
  force: { type: "boolean" },
  "keep-existing": { type: "boolean" },
  json: { type: "boolean" },
} as const;

const DNS_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const CLIENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function hostOption(value: string): string {
  const bare = value.replace(/^\[(.*)\]$/, "$1");
  if (net.isIP(bare) || (bare.length <= 253 && DNS_NAME.test(bare))) return bare.toLowerCase();
  throw new UsageError(`--host "${value}" is neither an IP address nor a DNS name (e.g. keyward.internal or 10.0.0.5)`);
}

function clientOption(value: string): string {
  if (value.length <= 128 && CLIENT_NAME.test(value)) return value;
  throw new UsageError(`--client "${value}": a client name is the service's name as a DNS name: lower case letters, digits, - and ., e.g. billing or identity-service`);
}

function daysOption(value: string | undefined): number {
  if (value === undefined) return 365;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new UsageError(`--days must be a whole number of days from 1 to 3650, got "${value}"`);
  return n;
}

/** The settings that use the files, for the service and for each client. */
function settingsFor(dir: string, clients: string[]) {
  const at = (f: string) => path.join(dir, f);
  return {
    service: {
      KEYWARD_GRPC_TLS_CERT_FILE: at("server.crt"),
      KEYWARD_GRPC_TLS_KEY_FILE: at("server.key"),
      KEYWARD_GRPC_TLS_CLIENT_CA_FILE: at("ca.crt"),
      KEYWARD_HTTP_TLS_CERT_FILE: at("server.crt"),
      KEYWARD_HTTP_TLS_KEY_FILE: at("server.key"),
    },
    clients: Object.fromEntries(
      clients.map((name) => [name, { KEYWARD_TLS_CA_FILE: at("ca.crt"), KEYWARD_TLS_CERT_FILE: at(`client-${name}.crt`), KEYWARD_TLS_KEY_FILE: at(`client-${name}.key`) }]),
    ),
  };
}

function table(dir: string, files: WrittenFile[]): string {
  const rows = files.map((f) => [
    path.relative(dir, f.file),
    `${f.kind === "client" ? `client ${f.name}` : f.kind === "ca" ? "CA" : "server"} ${f.part}`,
    f.action,
    f.part === "certificate" ? `until ${f.notAfter!.slice(0, 10)}  ${f.subject}${f.names!.length > 0 ? `  ${f.names!.join(", ")}` : ""}` : `mode ${f.mode}`,
  ]);
  const header = ["FILE", "WHAT", "ACTION", "DETAILS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n");
}

export function runCertsCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, CERTS_HELP, CERTS_FLAGS, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`certs takes no arguments, got "${positionals.join(" ")}"`);
    if (values.force && values["keep-existing"]) throw new UsageError("give --force or --keep-existing, not both");
    if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out is empty; give the directory to write the files to");
    const dir = path.resolve(values.out ?? "tls");
    const hosts = [...new Set((values.host ?? []).map(hostOption))];
    const clients = [...new Set((values.client ?? []).map(clientOption))];
    const days = daysOption(values.days);
    // Loaded here only: it installs the reflect-metadata polyfill that @peculiar/x509 needs.
    const { writeDevCerts } = await import("../certs/write-certs.js");
    const files = await writeDevCerts({ dir, hosts, clients, days, force: values.force ?? false, keepExisting: values["keep-existing"] ?? false, now: new Date() });
    const settings = settingsFor(dir, clients);
    if (values.json) {
      io.stdout.write(JSON.stringify({ dir, files, settings }, null, 2) + "\n");
      return 0;
    }
    const env = (vars: Record<string, string>) => Object.entries(vars).map(([k, v]) => `  ${k}=${v}`);
    const lines = [
      `Development TLS files in ${dir}:`,
      "",
      table(dir, files),
      "",
      "The service (gRPC with mutual TLS, and the admin API over HTTPS):",
      ...env(settings.service),
      ...Object.entries(settings.clients).flatMap(([name, vars]) => ["", `The app "${name}" (createSecretsClient reads these):`, ...env(vars)]),
      "",
      `Admin API: curl --cacert ${path.join(dir, "ca.crt")} https://localhost:8080/healthz`,
      "",
    ];
    io.stdout.write(lines.join("\n"));
    return 0;
  });
}
