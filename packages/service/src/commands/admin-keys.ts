import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import type { AdminRole } from "@keyward/db";
import { createSpecValidator } from "@keyward/http";
import { createAdminKeyHeadless } from "../admin-keys/create-headless.js";
import { assertAuditKeyFits, loadExistingAuditKey } from "../audit-key.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";
import { cliActor } from "../tokens/approve.js";

export const ADMIN_KEYS_HELP = `Usage:
  keyward-service admin-keys create --name NAME [--role ROLE] [--json] [--data-dir DIR]

create makes an admin API key without the admin API and prints its token once (only its hash is
stored). It is how an operator with the database and the audit key gets back in when the bootstrap
owner token is lost; otherwise create keys in the console (Admin keys) or with POST /api/admin-keys.
The key and its audit row (admin_key.create, actor "cli:<user>@<host>") commit together.

  --name NAME   the key's name: letters, digits, space and . _ @ - (as the admin API takes it)
  --role ROLE   owner (the default), admin, operator, viewer or auditor
  --json        print {"key": {...}, "token": "kwa_…"}

Uses DATABASE_URL, or the embedded database in the data directory (stop the service first: the
embedded database is single-process). Needs the audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key).
`;

export function runAdminKeysCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, ADMIN_KEYS_HELP, { "data-dir": { type: "string" }, name: { type: "string" }, role: { type: "string" }, json: { type: "boolean" } }, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    if (action !== "create") throw new UsageError(action === undefined ? "missing subcommand: admin-keys create" : `unknown admin-keys subcommand "${action}"; expected "create"`);
    if (rest.length > 0) throw new UsageError(`admin-keys create takes no arguments, got "${rest.join(" ")}"`);
    if (values.name === undefined) throw new UsageError('missing --name, e.g. --name "recovery owner"');
    const input = { name: values.name, role: values.role ?? "owner" };
    // The admin API's own request schema, so the command accepts exactly what the API would.
    const checked = createSpecValidator().request("createAdminKey", { path: {}, query: {}, body: input });
    if ("location" in checked) throw new UsageError(`--${checked.field}: ${checked.message.replace(new RegExp(`^${checked.field} `), "")}`);

    const config = commandConfig(io.env, values["data-dir"]);
    const auditKey = loadExistingAuditKey(io.env, config.dataDir);
    const database = await openExistingDatabase(config);
    try {
      await assertAuditKeyFits(database.db, auditKey, io.env, config.dataDir);
      const { key, token } = await createAdminKeyHeadless(database.db, auditKey, { name: input.name, role: input.role as AdminRole, actor: cliActor(), at: new Date() });
      const summary = { id: key.id, name: key.name, role: key.role, createdAt: new Date(key.created_at).toISOString(), createdBy: key.created_by };
      io.stdout.write(
        values.json
          ? JSON.stringify({ key: summary, token }, null, 2) + "\n"
          : `created admin key ${key.id} "${key.name}" (role ${key.role}). Its token is shown only now; store it safely:\n  ${token}\n`,
      );
      return 0;
    } finally {
      await database.close();
    }
  });
}
