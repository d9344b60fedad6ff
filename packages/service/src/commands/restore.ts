import fs from "node:fs";
import path from "node:path";
import { type CommandIo, KeywardError, runCommand, UsageError } from "@keyward/common";
import { appendAudit, connectDatabase, getMasterKeySettings, verifyAuditAgainstCheckpoint, verifyAuditChain } from "@keyward/db";
import { loadExistingAuditKey } from "../audit-key.js";
import { unwrapContentKey } from "../backup/content-key.js";
import { readIdentityKey } from "../backup/key-files.js";
import { describeMasterKey } from "../backup/master-key-check.js";
import { readPassphraseFromStdin } from "../backup/passphrase-stdin.js";
import { openArchive } from "../backup/read-backup.js";
import { loadArchive, prepareTarget } from "../backup/restore-backup.js";
import { secureDataDir } from "../data-dir.js";
import { commandConfig } from "../open-database.js";
import { cliActor } from "../tokens/approve.js";
import { createValueCheck } from "@keyward/http";
import { createNodeSecretTypeRegistry } from "@keyward/secret-types/node";
import type { Database } from "@keyward/db";
import type { Kysely } from "kysely";
import { checkRestoredValues } from "../backup/check-restored-values.js";
import { loadKeysFor } from "../keys.js";

export const RESTORE_HELP = `Usage: keyward-service restore --in FILE (--identity PRIVKEY_FILE | --passphrase-stdin) [--data-dir DIR]

Restores a "keyward-service backup" archive into an EMPTY instance: PostgreSQL when DATABASE_URL
is set, else embedded PGlite in <data-dir>/pglite (created if missing; the service must not run).
It migrates the target, refuses a database that holds anything (naming what), checks the archive
(a wrong key or passphrase, a changed or truncated file: "the archive is damaged or the key is
wrong", nothing written), loads everything in one transaction, verifies the audit chain as
"keyward-service audit verify" does (and against the archive's newest checkpoint), records the
restore in the audit log, commits, and prints the result.

  --in FILE             the archive
  --identity FILE       the private key (PEM) of the recipient the archive was encrypted to
  --passphrase-stdin    the archive's passphrase, read from stdin
  --allow-broken-audit-chain
                        restore even when the restored chain does not verify (it was broken at
                        the source); without it such a restore is rolled back

Needs the source's audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key) to verify the chain;
values decrypt once the source's master key is in place (it is not in the archive). When it is,
each current value is then checked against its type and its app's declared rules, as the admin API
checks a new one; a value that fails is reported (name, environment, rule), never changed or dropped.
Exit code 1 when the restore is refused or fails (nothing written), or the chain does not verify.
`;

const FLAGS = {
  "data-dir": { type: "string" },
  in: { type: "string" },
  identity: { type: "string" },
  "passphrase-stdin": { type: "boolean" },
  "allow-broken-audit-chain": { type: "boolean" },
} as const;

export function runRestoreCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, RESTORE_HELP, FLAGS, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`restore takes no arguments, got "${positionals.join(" ")}"`);
    if (values.in === undefined) throw new UsageError("restore needs --in FILE");
    const passphrase = values["passphrase-stdin"] === true;
    if ((values.identity !== undefined) === passphrase) throw new UsageError("restore needs exactly one of --identity PRIVKEY_FILE or --passphrase-stdin");

    const archive = openArchive(values.in);
    const config = commandConfig(io.env, values["data-dir"]);
    const auditKey = (() => {
      try {
        return loadExistingAuditKey(io.env, config.dataDir);
      } catch (error) {
        throw new KeywardError("config", `restore verifies the audit chain with the source's audit key, and there is none here (${error instanceof Error ? error.message : "error"}): set KEYWARD_AUDIT_KEY or put the source's audit.key in ${config.dataDir}`, {
          field: "KEYWARD_AUDIT_KEY",
        });
      }
    })();
    const contentKey = unwrapContentKey(
      archive.header.encryption.key,
      passphrase ? { kind: "passphrase", passphrase: await readPassphraseFromStdin(io.stdin, "restore") } : { kind: "identity", privateKey: readIdentityKey(values.identity!) },
    );

    if (!config.databaseUrl) {
      secureDataDir(config.dataDir);
      if (fs.existsSync(path.join(config.dataDir, "pglite", "postmaster.pid"))) {
        throw new KeywardError("config", `the embedded database in ${path.join(config.dataDir, "pglite")} is open by a running keyward-service (or was not shut down cleanly); restore only into a stopped, new instance`, {
          field: "KEYWARD_DATA_DIR",
        });
      }
    }
    const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements });
    try {
      const { header } = archive;
      io.stderr.write(`Restoring ${values.in} (made ${header.createdAt} on ${header.source.host}, ${header.source.database}) into ${database.kind === "postgres" ? "PostgreSQL" : `the embedded database in ${config.dataDir}`}:\n`);
      await prepareTarget(database, archive);
      const allowBroken = values["allow-broken-audit-chain"] === true;
      // Verified inside the load's transaction: a chain that does not verify (most often a wrong
      // audit key) rolls everything back, unless the operator accepts a chain already broken at the source.
      const { counts, finished: check } = await loadArchive(database, archive, contentKey, (line) => io.stderr.write(line + "\n"), async (trx) => {
        const result = header.checkpoint
          ? await verifyAuditAgainstCheckpoint(trx, auditKey, header.checkpoint, { publicKey: header.checkpoint.publicKey })
          : await verifyAuditChain(trx, auditKey);
        const problem = result.ok ? undefined : "badCheckpoint" in result ? `BAD CHECKPOINT: ${result.badCheckpoint}` : `TAMPERED: the first bad row is seq ${result.firstBadSeq}: ${result.problem}`;
        if (problem && !allowBroken) {
          throw new KeywardError(
            "conflict",
            `the restored audit chain does not verify (${problem}); nothing was written. Is the audit key (KEYWARD_AUDIT_KEY or audit.key) the source's? A different key fails at the first row. If the chain was already broken at the source, restore anyway with --allow-broken-audit-chain.`,
            { field: "KEYWARD_AUDIT_KEY" },
          );
        }
        // The restore itself is a state change: its audit row commits with the rows.
        await appendAudit(trx, auditKey, {
          at: new Date(),
          actor_type: "cli",
          actor_id: cliActor(),
          action: "instance.restore",
          target: `backup:${header.createdAt}`,
          result: problem ? "chain_broken" : "ok",
          reason: `from ${header.source.host} (${header.source.database})`,
        });
        return { ok: !problem, problem, rows: result.ok ? result.rows : undefined };
      });
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      io.stdout.write(`Restored ${rows} row(s) in ${Object.keys(counts).length} tables.\n`);
      const settings = await getMasterKeySettings(database.db);
      const keyLine = describeMasterKey(io.env, config.dataDir, settings ? { fingerprint: settings.fingerprint, kdf: settings.kdf } : undefined);
      if (check.ok) {
        const against = header.checkpoint ? ` and contains the archive's newest checkpoint (seq ${header.checkpoint.seq}, ${header.checkpoint.time})` : "";
        io.stdout.write(`Audit chain: OK: ${check.rows} audit row(s), the chain is intact${against}; the restore is recorded after them.\n${keyLine}\n`);
        await reportValueFindings(io, database.db, { env: io.env, dataDir: config.dataDir });
        return 0;
      }
      io.stdout.write(`Audit chain: ${check.problem} (restored anyway: --allow-broken-audit-chain; the restore's audit row says so)\n${keyLine}\n`);
      await reportValueFindings(io, database.db, { env: io.env, dataDir: config.dataDir });
      return 1;
    } finally {
      await database.close();
    }
  });
}

/**
 * Restore keeps every value as it was (it is history); a value that no longer passes its type or
 * rules is named so an admin can set a new one. Needs the master key, which may not be here yet.
 */
async function reportValueFindings(io: CommandIo, db: Kysely<Database>, keyOptions: { env: NodeJS.ProcessEnv; dataDir: string }): Promise<void> {
  let keys: Awaited<ReturnType<typeof loadKeysFor>>;
  try {
    keys = await loadKeysFor(db, { ...keyOptions, allowCreate: false, actor: cliActor() });
  } catch {
    io.stdout.write("Values: not checked (the source's master key is not in place yet; values are kept as they were).\n");
    return;
  }
  const { checked, findings } = await checkRestoredValues(db, keys.envelope, createValueCheck(createNodeSecretTypeRegistry()));
  if (findings.length === 0) {
    io.stdout.write(`Values: ${checked} current value(s) pass their type and declared rules.\n`);
    return;
  }
  io.stdout.write(`Values: ${findings.length} of ${checked} current value(s) do not pass their type or declared rules (kept as they were; set a new value to fix):\n`);
  for (const f of findings) io.stdout.write(`  ${f.environment}/${f.name}: ${f.problem}\n`);
}
