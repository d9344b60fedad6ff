import fs from "node:fs";
import { once } from "node:events";
import { assertNever, auditArchiveSink, auditCheckpointSink, systemClock, type CommandIo, KeywardError, runCommand, UsageError } from "@keyward/common";
import { cliActor } from "../tokens/approve.js";
import { auditKeyVerdict, createAuditCheckpoint, exportAudit, parseAuditCheckpoint, recordAuditVerificationFailure, verifyAuditAgainstCheckpoint, verifyAuditChain, verifyAuditRange, type AuditExportFilter } from "@keyward/db";
import { auditKeySource, loadExistingAuditKey, loadExistingSigningKey } from "../audit-key.js";
import { archiveNow, listPartitions, optionalAuditKey, verifyArchiveFiles } from "./audit-archive.js";
import { createArchiveSink } from "@keyward/audit-archive";
import { createCheckpointSink } from "../checkpoints/index.js";
import { commandConfig, openExistingDatabase } from "../open-database.js";

export const AUDIT_HELP = `Usage: keyward-service audit <verify | export | checkpoint | archive | partitions | verify-archive> [options] [--data-dir DIR]

  verify [--checkpoint FILE] [--public-key KEY] [--from-seq N] [--to-seq N]
        check the HMAC chain; name the first edited, deleted, inserted or reordered row, and
        detect rows deleted from the end (or every row) since a checkpoint: the one given, else
        the newest in the checkpoint sink (KEYWARD_AUDIT_CHECKPOINT_SINK, when it is a file).
        The checkpoint must be signed by the audit signing key, or by --public-key (base64
        Ed25519, printed by "audit checkpoint"; e.g. a key used before). With --from-seq or
        --to-seq, checks only that range of rows (the row before it is the anchor). Rows whose
        partition was archived are checked by verify-archive; the log's first row must link to
        the newest archive.
  export [--format jsonl|csv] [--from DATE] [--to DATE] [--actor-type T] [--actor ID]
         [--action A] [--result R] [--output FILE]
        stream the log, oldest first (--from inclusive, --to exclusive, ISO dates)
  checkpoint [--output FILE]
        sign the current end of the log with the audit signing key (Ed25519); keep the file
        somewhere the database's administrators cannot write
  archive [--json]
        now, as the hourly audit-retention job does: archive every partition older than
        KEYWARD_AUDIT_HOT_DAYS (default 90) to KEYWARD_AUDIT_ARCHIVE_SINK (a directory or
        s3://bucket/prefix; default <data-dir>/audit-archive), verify it, then drop it
  partitions [--json]
        list audit_log's partitions: hot ones, and where archived ones went
  verify-archive FILE... [--public-key KEY]
        check archives on their own (signature, checksum, every row's HMAC when the audit key
        is at hand) and, given several, that each links to the one before; names a missing or
        altered archive

Needs the audit key (KEYWARD_AUDIT_KEY or <data-dir>/audit.key) and, to sign or check a
checkpoint, the signing key (KEYWARD_AUDIT_SIGNING_KEY or <data-dir>/audit-signing.key).
Exit code 1 when verification fails. A failure is recorded in the log (an audit row and an
audit.verification_failed event), unless the audit key fits neither the oldest nor the newest row:
then verify says WRONG KEY and records nothing, since a row appended with that key would break the
chain.
`;

const ACTIONS = ["verify", "export", "checkpoint", "archive", "partitions", "verify-archive"] as const;

function date(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag} must be an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z, got "${value}"`);
  return d;
}

/** Writes with backpressure, so a large export never piles up in memory. */
async function writeAll(out: NodeJS.WritableStream, lines: AsyncIterable<string>): Promise<number> {
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!out.write(line)) await once(out, "drain");
  }
  return n;
}

const AUDIT_FLAGS = {
  "data-dir": { type: "string" },
  checkpoint: { type: "string" },
  "public-key": { type: "string" },
  format: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "actor-type": { type: "string" },
  actor: { type: "string" },
  action: { type: "string" },
  result: { type: "string" },
  output: { type: "string" },
  "from-seq": { type: "string" },
  "to-seq": { type: "string" },
  json: { type: "boolean" },
} as const;

function seqFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(value)) throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  return Number(value);
}

export function runAuditCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, AUDIT_HELP, AUDIT_FLAGS, async ({ values, positionals }) => {
    const [action, ...rest] = positionals;
    if (action === undefined) throw new UsageError(`say what to do: ${ACTIONS.join(", ")}`);
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown audit action "${action}"; use ${ACTIONS.join(", ")}`);
    if (action === "verify-archive") {
      if (rest.length === 0) throw new UsageError("audit verify-archive needs one or more archive files");
    } else if (rest.length > 0) throw new UsageError(`audit ${action} takes no arguments, got "${rest.join(" ")}"`);
    const kind = action as (typeof ACTIONS)[number];
    const allowed: Record<typeof kind, string[]> = {
      verify: ["checkpoint", "public-key", "from-seq", "to-seq"],
      export: ["format", "from", "to", "actor-type", "actor", "action", "result", "output"],
      checkpoint: ["output"],
      archive: ["json"],
      partitions: ["json"],
      "verify-archive": ["public-key"],
    };
    for (const flag of Object.keys(values)) {
      if (!["help", "data-dir", ...allowed[kind]].includes(flag)) throw new UsageError(`--${flag} does not apply to audit ${kind}`);
    }
    const format = values.format ?? "jsonl";
    if (format !== "jsonl" && format !== "csv") throw new UsageError(`--format must be jsonl or csv, got "${format}"`);
    const filter: AuditExportFilter = {
      from: date(values.from, "--from"),
      to: date(values.to, "--to"),
      actorType: values["actor-type"],
      actorId: values.actor,
      action: values.action,
      result: values.result,
    };
    if (filter.from && filter.to && filter.from >= filter.to) throw new UsageError("--from must be before --to");
    let checkpointText: string | undefined;
    if (values.checkpoint !== undefined) {
      try {
        checkpointText = fs.readFileSync(values.checkpoint, "utf8");
      } catch {
        throw new KeywardError("invalid_argument", `cannot read the checkpoint file ${values.checkpoint}`);
      }
    }
    const given = checkpointText === undefined ? undefined : parseAuditCheckpoint(checkpointText);
    if (values.output !== undefined && fs.existsSync(values.output)) {
      throw new KeywardError("invalid_argument", `${values.output} already exists; name a new file (audit output never overwrites one)`, { field: "--output" });
    }

    const fromSeq = seqFlag(values["from-seq"], "--from-seq");
    const toSeq = seqFlag(values["to-seq"], "--to-seq");
    if (fromSeq !== undefined && toSeq !== undefined && fromSeq > toSeq) throw new UsageError("--from-seq must not be after --to-seq");
    if ((fromSeq !== undefined || toSeq !== undefined) && values.checkpoint !== undefined) throw new UsageError("--checkpoint checks the whole log; leave out --from-seq and --to-seq");

    const config = commandConfig(io.env, values["data-dir"]);
    // Archives are checked without the database: the signature always, each row's HMAC when the key is here.
    if (kind === "verify-archive") return verifyArchiveFiles(io, rest, { publicKey: values["public-key"] ?? loadExistingSigningKey(io.env, config.dataDir).publicKey, auditKey: optionalAuditKey(io.env, config.dataDir) });
    const auditKey = loadExistingAuditKey(io.env, config.dataDir);
    // Needed only to sign, or to check a checkpoint without --public-key: a plain verify works without it.
    const signer = () => loadExistingSigningKey(io.env, config.dataDir);
    // Without --checkpoint, verify checks the log against the newest checkpoint the service wrote to its sink.
    const sinkTarget = auditCheckpointSink(config);
    const sunk = kind === "verify" && !given && sinkTarget ? await createCheckpointSink(sinkTarget).latest() : undefined;
    const checkpoint = given ?? sunk;
    const database = await openExistingDatabase(config);
    // A failed verification is recorded and announced (audit row + audit.verification_failed event).
    const reportFailure = (problem: string, firstBadSeq: number | null) =>
      recordAuditVerificationFailure(database.db, auditKey, { actorType: "cli", actor: cliActor(), problem, firstBadSeq, at: new Date() });
    // A verification with a key the log was not written with proves nothing, and a failure row
    // appended with that key would itself break the chain: say so and record nothing.
    const tampered = async (check: { problem: string; firstBadSeq: number }) => {
      if ((await auditKeyVerdict(database.db, auditKey)) === "foreign") {
        io.stdout.write(
          `WRONG KEY: the audit key from ${auditKeySource(io.env, config.dataDir)} computes neither the oldest nor the newest row's HMAC: it is not the key this log was written with (or every row was altered). Nothing was recorded; verify with the original key (KEYWARD_AUDIT_KEY, or audit.key from your backup).\n`,
        );
        return 1;
      }
      io.stdout.write(`TAMPERED: the first bad row is seq ${check.firstBadSeq}: ${check.problem}\n`);
      await reportFailure(check.problem, check.firstBadSeq);
      return 1;
    };
    try {
      switch (kind) {
        case "verify": {
          if (fromSeq !== undefined || toSeq !== undefined) {
            const check = await verifyAuditRange(database.db, auditKey, { fromSeq, toSeq });
            if (check.ok) {
              io.stdout.write(`OK: ${check.rows} audit row(s) from seq ${fromSeq ?? "the start"} to ${toSeq ?? "the end"}, the chain is intact.\n`);
              return 0;
            }
            return await tampered(check);
          }
          if (!checkpoint) {
            const check = await verifyAuditChain(database.db, auditKey);
            if (check.ok) {
              io.stdout.write(`OK: ${check.rows} audit row(s), the chain is intact.\n`);
              return 0;
            }
            return await tampered(check);
          }
          const check = await verifyAuditAgainstCheckpoint(database.db, auditKey, checkpoint, { publicKey: values["public-key"] ?? signer().publicKey });
          if (check.ok) {
            const from = given ? "" : ` from ${sinkTarget}`;
            io.stdout.write(`OK: ${check.rows} audit row(s), the chain is intact and contains the checkpoint of ${checkpoint.time} (seq ${check.checkpointSeq})${from}.\n`);
            return 0;
          }
          if ("badCheckpoint" in check) {
            io.stdout.write(`BAD CHECKPOINT: ${check.badCheckpoint}\n`);
            // The service's own checkpoint no longer in the log is a finding; a bad file the operator passed is not.
            if (!given) await reportFailure(check.badCheckpoint, null);
            return 1;
          }
          return await tampered(check);
        }
        case "export": {
          const out = values.output ? fs.createWriteStream(values.output, { mode: 0o600, flags: "wx" }) : io.stdout;
          if (values.output) await once(out as fs.WriteStream, "open");
          const rows = await writeAll(out, exportAudit(database.db, { format, filter }));
          if (values.output) {
            (out as fs.WriteStream).end();
            await once(out as fs.WriteStream, "finish");
            io.stderr.write(`Exported ${format === "csv" ? rows - 1 : rows} audit row(s) to ${values.output}.\n`);
          }
          return 0;
        }
        case "checkpoint": {
          const made = await createAuditCheckpoint(database.db, auditKey, signer(), new Date());
          const text = JSON.stringify(made, null, 2) + "\n";
          if (values.output) {
            fs.writeFileSync(values.output, text, { mode: 0o600, flag: "wx" });
            io.stdout.write(`Checkpoint of seq ${made.seq} written to ${values.output}. Signer public key: ${made.publicKey}\n`);
          } else io.stdout.write(text);
          return 0;
        }
        case "archive":
          return await archiveNow(io, { db: database.db, auditKey, signer: signer(), sink: createArchiveSink(auditArchiveSink(config), io.env), clock: systemClock, actor: { type: "cli", id: cliActor() } }, config.auditRetention, values.json === true);
        case "partitions":
          return await listPartitions(io, database.db, values.json === true);
        default:
          return assertNever(kind, "audit action");
      }
    } finally {
      await database.close();
    }
  });
}
