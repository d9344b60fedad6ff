import type { CommandEntry } from "@keyward/common";
import { runAccessCommand } from "./access.js";
import { runAdminKeysCommand } from "./admin-keys.js";
import { runAuditCommand } from "./audit.js";
import { runBackupCommand } from "./backup.js";
import { runCertsCommand } from "./certs.js";
import { runDoctorCommand } from "./doctor.js";
import { runKeysCommand } from "./keys.js";
import { runMigrateCommand } from "./migrate.js";
import { runRestoreCommand } from "./restore.js";
import { runSecretsCommand } from "./secrets.js";
import { runStartCommand } from "./start.js";
import { runTokensCommand } from "./tokens.js";

/** Every subcommand; cli.ts only dispatches. Each runner prints its own --help. */
export const commands: Record<string, CommandEntry> = {
  start: { usage: "start [--data-dir DIR] [--grpc-port N] [--http-port N]", summary: "run the service (gRPC + admin HTTP); drains on SIGTERM/SIGINT", run: runStartCommand },
  migrate: { usage: "migrate", summary: "apply pending database migrations and exit", run: runMigrateCommand },
  keys: { usage: "keys status|rotate|rewrap|retire|change-master", summary: "inspect and rotate the key-encryption keys; change the master key", run: runKeysCommand },
  audit: { usage: "audit verify|export|checkpoint|archive|partitions|verify-archive", summary: "verify the audit chain, export it, archive old partitions, check archives", run: runAuditCommand },
  tokens: { usage: "tokens approve <id> | --service NAME; tokens list", summary: "approve a pending service token without the admin API (audited); list tokens with their environment", run: runTokensCommand },
  secrets: { usage: "secrets list | set NAME | delete NAME [--environment NAME]", summary: "list secrets with their environment; set a value from stdin or delete one (audited; a protected environment needs --break-glass)", run: runSecretsCommand },
  "admin-keys": { usage: "admin-keys create --name NAME [--role ROLE]", summary: "create an admin key without the admin API (audited): a lost bootstrap owner token is replaced this way", run: runAdminKeysCommand },
  access: { usage: "access list | approve [--environment NAME]", summary: "list access requests with their environment; grant one (audited)", run: runAccessCommand },
  backup: { usage: "backup --out FILE (--recipient PUB | --passphrase-stdin); backup keygen", summary: "write an encrypted archive of the whole instance (values stay ciphertext; no keys)", run: runBackupCommand },
  restore: { usage: "restore --in FILE (--identity KEY | --passphrase-stdin)", summary: "restore an archive into an empty instance, then verify the audit chain", run: runRestoreCommand },
  doctor: { usage: "doctor", summary: "check config, data directory, database and keys; say what to fix", run: runDoctorCommand },
  certs: { usage: "certs [--out DIR] [--host NAME] [--client NAME]", summary: "make a development CA, server and client certificates for TLS and mTLS", run: runCertsCommand },
};
