import fs from "node:fs";
import path from "node:path";
import { type CommandIo, KeywardError, runCommand, UsageError } from "@keyward/common";
import { connectDatabase, getMasterKeySettings, verifyAuditAgainstCheckpoint, verifyAuditChain } from "@keyward/db";
import { loadExistingAuditKey } from "../audit-key.js";
import { unwrapContentKey } from "../backup/content-key.js";
import { readIdentityKey } from "../backup/key-files.js";
import { describeMasterKey } from "../backup/master-key-check.js";
import { readPassphraseFromStdin } from "../backup/passphrase-stdin.js";
import { openArchive } from "../backup/read-backup.js";
import { loadArchive, prepareTarget } from "../backup/restore-backup.js";
import { secureDataDir } from "../data-dir.js";
import { commandConfig } from "../open-database.js";

export const RESTORE_HELP = `Usage: keyward-service restore --in FILE (--identity PRIVKEY_FILE | --passphrase-stdin) [--data-dir DIR]

Restores a "keyward-service backup" archive into an EMPTY instance: PostgreSQL when DATABASE_URL
is set, else embedded PGlite in <data-dir>/pglite (created if missing; the service must not run).
It migrates the target, refuses a database that holds anything (naming what), checks the archive
(a wrong key or passphrase, a changed or truncated file: "the archive is damaged or the key is
wrong", nothing written), loads everything in one transaction, then verifies the audit chain as
"keyward-service audit verify" does, and prints the result.

  --in FILE             the archive
  --identity FILE       the private key (PEM) of the recipient the archive was encrypted to
  --passphrase-stdin    the archive's passphrase, read from stdin

Needs the source's audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key) to verify the chain;
values decrypt once the source's master key is in place (it is not in the archive).
Exit code 1 when the restore is refused or fails, or the restored chain does not verify.
`;

const FLAGS = {
  "data-dir": { type: "string" },
  in: { type: "string" },
  identity: { type: "string" },
  "passphrase-stdin": { type: "boolean" },
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
    const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const { header } = archive;
      io.stderr.write(`Restoring ${values.in} (made ${header.createdAt} on ${header.source.host}, ${header.source.database}) into ${database.kind === "postgres" ? "PostgreSQL" : `the embedded database in ${config.dataDir}`}:\n`);
      await prepareTarget(database, archive);
      const counts = await loadArchive(database, archive, contentKey, (line) => io.stderr.write(line + "\n"));
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      io.stdout.write(`Restored ${rows} row(s) in ${Object.keys(counts).length} tables.\n`);

      const check = header.checkpoint
        ? await verifyAuditAgainstCheckpoint(database.db, auditKey, header.checkpoint, { publicKey: header.checkpoint.publicKey })
        : await verifyAuditChain(database.db, auditKey);
      const settings = await getMasterKeySettings(database.db);
      const keyLine = describeMasterKey(io.env, config.dataDir, settings ? { fingerprint: settings.fingerprint, kdf: settings.kdf } : undefined);
      if (check.ok) {
        const against = header.checkpoint ? ` and contains the archive's newest checkpoint (seq ${header.checkpoint.seq}, ${header.checkpoint.time})` : "";
        io.stdout.write(`Audit chain: OK: ${check.rows} audit row(s), the chain is intact${against}.\n${keyLine}\n`);
        return 0;
      }
      const problem = "badCheckpoint" in check ? `BAD CHECKPOINT: ${check.badCheckpoint}` : `TAMPERED: the first bad row is seq ${check.firstBadSeq}: ${check.problem}`;
      io.stdout.write(`Audit chain: ${problem}\n(is the audit key the source's? a different key fails at the first row)\n${keyLine}\n`);
      return 1;
    } finally {
      await database.close();
    }
  });
}
