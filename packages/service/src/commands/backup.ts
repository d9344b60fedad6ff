import fs from "node:fs";
import os from "node:os";
import { auditCheckpointSink, type CommandIo, KeywardError, runCommand, scryptCostFromEnv, UsageError } from "@keyward/common";
import { createCheckpointSink } from "../checkpoints/index.js";
import { wrapToPassphrase, wrapToRecipient } from "../backup/content-key.js";
import { generateBackupKeyPair, readRecipientKey } from "../backup/key-files.js";
import { readPassphraseFromStdin } from "../backup/passphrase-stdin.js";
import type { BackupHeader } from "../backup/format.js";
import { writeBackup } from "../backup/write-backup.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";
import { appendAudit, BACKUP_TABLES, TABLE_DECISIONS } from "@keyward/db";
import { assertAuditKeyFits, loadExistingAuditKey } from "../audit-key.js";
import { cliActor } from "../tokens/approve.js";

/** Names joined with ", ", wrapped to lines of at most `width` characters, each after `indent`. */
function wrapList(names: readonly string[], indent: string, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const name of names) {
    const next = line ? `${line}, ${name}` : name;
    if (indent.length + next.length + 1 > width && line) {
      lines.push(line + ",");
      line = name;
    } else line = next;
  }
  return [...lines, line].join(`\n${indent}`);
}

export const BACKUP_HELP = `Usage: keyward-service backup --out FILE (--recipient PUBKEY_FILE | --passphrase-stdin) [--data-dir DIR]
       keyward-service backup keygen --out DIR

  backup   write an encrypted archive of the whole instance from one consistent snapshot:
           ${wrapList(BACKUP_TABLES, "           ")}
           (left out: ${Object.entries(TABLE_DECISIONS)
             .filter(([, d]) => !d.backup)
             .map(([t]) => t)
             .join(", ")}; see the README). Values stay ciphertext: the archive
           is useless without the master key, which it does NOT contain (nor the audit key):
           keep those apart. On PostgreSQL the service may keep running; embedded PGlite must
           be stopped first.
    --out FILE            the archive to create (mode 0600; never overwrites)
    --recipient FILE      encrypt to this public key (PEM: X25519 or RSA 2048+)
    --passphrase-stdin    encrypt to a passphrase read from stdin (12+ characters; scrypt,
                          cost from KEYWARD_PASSPHRASE_SCRYPT_N)
  keygen --out DIR        make an X25519 pair: DIR/backup-recipient.pub to back up to, and
                          DIR/backup-identity.key (0600) to restore with; keep that one offline

Needs the audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key): the backup is recorded in the
audit log (instance.backup) once the archive is complete. Restore with "keyward-service restore".
Progress goes to stderr.
`;

const FLAGS = {
  "data-dir": { type: "string" },
  out: { type: "string" },
  recipient: { type: "string" },
  "passphrase-stdin": { type: "boolean" },
} as const;

export function runBackupCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, BACKUP_HELP, FLAGS, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    if (action !== undefined && action !== "keygen") throw new UsageError(`unknown backup action "${action}"; the only one is keygen (a plain backup takes no argument)`);
    if (rest.length > 0) throw new UsageError(`backup takes no further arguments, got "${rest.join(" ")}"`);
    if (values.out === undefined) throw new UsageError(action === "keygen" ? "backup keygen needs --out DIR" : "backup needs --out FILE");
    if (action === "keygen") {
      for (const flag of ["recipient", "passphrase-stdin", "data-dir"] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to backup keygen`);
      const made = generateBackupKeyPair(values.out);
      io.stdout.write(
        `Wrote ${made.publicFile} (back up to it: --recipient) and ${made.privateFile} (mode 0600: restore with it, --identity).\nFingerprint: ${made.fingerprint}\nKeep the private key off the server, e.g. offline with the master key.\n`,
      );
      return 0;
    }
    const passphrase = values["passphrase-stdin"] === true;
    if ((values.recipient !== undefined) === passphrase) throw new UsageError("backup needs exactly one of --recipient PUBKEY_FILE or --passphrase-stdin");
    if (fs.existsSync(values.out)) throw new KeywardError("invalid_argument", `${values.out} already exists; name a new file (a backup never overwrites one)`, { field: "--out" });
    const recipient = values.recipient === undefined ? undefined : readRecipientKey(values.recipient);
    const secret = passphrase ? await readPassphraseFromStdin(io.stdin, "backup") : undefined;
    const cost = scryptCostFromEnv(io.env);

    const config = commandConfig(io.env, values["data-dir"]);
    // Taking a copy of everything is recorded, like any other admin act on the whole instance.
    const auditKey = loadExistingAuditKey(io.env, config.dataDir);
    const sinkTarget = auditCheckpointSink(config);
    const checkpoint = sinkTarget ? ((await createCheckpointSink(sinkTarget).latest()) ?? null) : null;
    const database = await openExistingDatabase(config);
    try {
      await assertAuditKeyFits(database.db, auditKey, io.env, config.dataDir);
      io.stderr.write(`Backing up ${database.kind === "postgres" ? "PostgreSQL" : `the embedded database in ${config.dataDir}`} to ${values.out}:\n`);
      const describe = (header: BackupHeader) => ({
        rows: header.tables.reduce((n, t) => n + t.rows, 0),
        to: header.encryption.key.kind === "passphrase" ? "a passphrase" : `recipient ${header.encryption.key.recipient}`,
      });
      const header = await writeBackup({
        database,
        out: values.out,
        wrap: (contentKey) => (recipient ? wrapToRecipient(contentKey, recipient) : wrapToPassphrase(contentKey, secret!, cost)),
        checkpoint,
        host: os.hostname(),
        now: new Date(),
        progress: (line) => io.stderr.write(line + "\n"),
        // Recorded before the archive appears: a backup whose row could not be written is deleted.
        record: async (h) => {
          const { rows, to } = describe(h);
          await appendAudit(database.db, auditKey, { at: new Date(), actor_type: "cli", actor_id: cliActor(), action: "instance.backup", target: `backup:${h.createdAt}`, result: "ok", reason: `${rows} row(s), encrypted to ${to}` });
        },
      });
      const { rows, to } = describe(header);
      io.stdout.write(
        [
          `Backup written to ${values.out}: ${rows} row(s) in ${header.tables.length} tables, ${fs.statSync(values.out).size} bytes, encrypted to ${to}.`,
          `It holds values as ciphertext only. Restoring needs the master key (fingerprint ${header.source.masterKeyFingerprint ?? "none yet"}) and the audit key: neither is in the archive; keep them apart from it.`,
          "",
        ].join("\n"),
      );
      return 0;
    } finally {
      await database.close();
    }
  });
}
