import { unwrap } from "@keyward/admin-client";
import { runCommand, UsageError, type CommandIo, type CommandRunner } from "@keyward/common";
import type { SigningAlgorithm, SigningKey } from "@keyward/spec";
import { environmentQuery, openSession, SESSION_FLAGS } from "../admin/session.js";
import { EXIT } from "../exit-codes.js";
import { printRows } from "../output/format.js";
import { runSubcommand } from "./subcommands.js";

export const SIGNING_KEYS_HELP = `Usage:
  keyward signing-keys list
  keyward signing-keys create NAME --algorithm hmac-sha256|ed25519 [--description TEXT]
  keyward signing-keys rotate NAME

Named signing keys (issue #16): services sign and verify with them over gRPC (client.sign /
client.verify), and their key material never leaves Keyward, not even here. A key shares the
environment's secret names and is granted to services like a secret (keyward approvals). Rotating
makes a new current version; signatures of older versions keep verifying until an admin retires
them (POST /api/signing-keys/{name}/retire). Disable or delete a key with keyward secrets.

  --algorithm ALG      hmac-sha256 (verified only by Keyward) or ed25519 (public key for anyone)
  --description TEXT   what the key signs
  --environment NAME   the environment to act in
  --json               JSON for scripts
  --profile NAME       use this saved profile

Exit codes: 0 done, 1 refused (name taken, unknown or disabled key, protected environment),
2 usage, 3 not logged in or not allowed, 4 unreachable.
`;

const ALGORITHMS: readonly SigningAlgorithm[] = ["hmac-sha256", "ed25519"];

/** The subcommands, by name (the top-level help lists them from here). */
export const SIGNING_KEYS_SUBCOMMANDS: Record<string, CommandRunner> = { list: runList, create: runCreate, rotate: runRotate };

export function runSigningKeysCommand(argv: string[], io: CommandIo): Promise<number> {
  return runSubcommand(argv, io, "signing-keys", SIGNING_KEYS_HELP, SIGNING_KEYS_SUBCOMMANDS);
}

function oneName(positionals: string[], sub: string): string {
  if (positionals.length !== 1) throw new UsageError(`signing-keys ${sub} takes one key NAME, got ${positionals.length}`);
  return positionals[0]!;
}

const publicKeyOf = (k: SigningKey) => k.versions.find((v) => v.current)?.publicKey ?? "-";

function runList(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SIGNING_KEYS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`signing-keys list takes no arguments, got "${positionals[0]}"`);
    const session = openSession(io, values);
    const { items } = await unwrap(session.admin.GET("/api/signing-keys", { params: { query: environmentQuery(session) } }));
    printRows(
      io.stdout,
      session.json,
      items,
      {
        NAME: (k) => k.name,
        ALGORITHM: (k) => k.algorithm,
        STATUS: (k) => k.status,
        VERSION: (k) => String(k.currentVersion),
        VERIFIES_FROM: (k) => String(k.minVersion),
        ENVIRONMENT: (k) => k.environment,
        PUBLIC_KEY: publicKeyOf,
      },
      "no signing keys",
    );
    return EXIT.ok;
  });
}

function runCreate(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SIGNING_KEYS_HELP, { ...SESSION_FLAGS, algorithm: { type: "string" }, description: { type: "string" } }, async ({ values, positionals }) => {
    const name = oneName(positionals, "create");
    const algorithm = values.algorithm;
    if (algorithm === undefined) throw new UsageError("signing-keys create needs --algorithm hmac-sha256 or ed25519");
    if (!ALGORITHMS.includes(algorithm as SigningAlgorithm)) throw new UsageError(`--algorithm must be hmac-sha256 or ed25519, got "${algorithm}"`);
    const session = openSession(io, values);
    const body = { name, algorithm: algorithm as SigningAlgorithm, ...(values.description !== undefined ? { description: values.description } : {}) };
    const key = await unwrap(session.admin.POST("/api/signing-keys", { params: { query: environmentQuery(session) }, body }));
    if (session.json) io.stdout.write(JSON.stringify(key, null, 2) + "\n");
    else io.stdout.write(`created ${key.name} (${key.algorithm}) in ${key.environment}: version ${key.currentVersion}${key.algorithm === "ed25519" ? `, public key ${publicKeyOf(key)}` : ""}\n`);
    return EXIT.ok;
  });
}

function runRotate(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, SIGNING_KEYS_HELP, SESSION_FLAGS, async ({ values, positionals }) => {
    const name = oneName(positionals, "rotate");
    const session = openSession(io, values);
    const key = await unwrap(session.admin.POST("/api/signing-keys/{name}/rotate", { params: { path: { name }, query: environmentQuery(session) } }));
    if (session.json) io.stdout.write(JSON.stringify(key, null, 2) + "\n");
    else io.stdout.write(`rotated ${key.name} in ${key.environment}: version ${key.currentVersion} signs now; versions from ${key.minVersion} still verify\n`);
    return EXIT.ok;
  });
}
