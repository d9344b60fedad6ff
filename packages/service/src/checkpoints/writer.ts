import type { Clock, Logger, SigningKeys } from "@keyward/common";
import { createAuditCheckpoint, recordAuditVerificationFailure, type AuditCheckpoint, type Database } from "@keyward/db";
import type { Kysely } from "kysely";
import type { CheckpointSink } from "./sink.js";

export interface CheckpointWriter {
  /** Signs the log's current end and writes it to the sink, unless nothing was appended since the last one. */
  writeNow(): Promise<"written" | "unchanged" | "refused">;
  /** The newest checkpoint written or found in the sink: what verification checks the log against. */
  latest(): Promise<AuditCheckpoint | undefined>;
  /** Why the last attempt refused to sign (the log no longer holds the previous checkpoint), or undefined. */
  readonly alarm: string | undefined;
  close(): Promise<void>;
}

export interface CheckpointWriterOptions {
  db: Kysely<Database>;
  auditKey: Uint8Array;
  signer: SigningKeys;
  sink: CheckpointSink;
  /** Write every this many ms on a timer of its own; 0: never on its own (a scheduled job calls writeNow). */
  intervalMs: number;
  clock: Clock;
  logger: Logger;
}

/**
 * Writes a signed checkpoint of the audit log to `sink` once at start, then whenever `writeNow` is
 * called (the service's `audit-checkpoints` job, one replica at a time) or every `intervalMs`.
 * Each attempt chains from the newest checkpoint in the sink, whichever replica wrote it.
 * Each one verifies only the rows since the previous checkpoint, and is never signed over a log
 * that no longer holds the previous one: then it logs an error, keeps the alarm, and writes nothing,
 * so the sink keeps the evidence. A sink that fails is retried at the next interval.
 */
export async function startCheckpointWriter(options: CheckpointWriterOptions): Promise<CheckpointWriter> {
  const { logger, sink } = options;
  let previous: AuditCheckpoint | undefined;
  try {
    const found = await sink.latest();
    // A checkpoint another key signed (before a key change) is not one to chain from.
    previous = found && found.publicKey === options.signer.publicKey ? found : undefined;
  } catch (error) {
    logger.error({ sink: sink.description, err: error instanceof Error ? error.message : String(error) }, "audit checkpoints: cannot read the sink");
  }
  let alarm: string | undefined;
  let running: Promise<"written" | "unchanged" | "refused"> | undefined;

  // The newest checkpoint this key signed, in the sink or written here: another replica may have
  // written since (the job runs on one replica at a time, not always the same one).
  const refresh = async () => {
    const found = await sink.latest().catch(() => undefined);
    if (found && found.publicKey === options.signer.publicKey && (!previous || found.seq > previous.seq)) previous = found;
  };
  const attempt = async (): Promise<"written" | "unchanged" | "refused"> => {
    await refresh();
    let made: AuditCheckpoint;
    try {
      made = await createAuditCheckpoint(options.db, options.auditKey, options.signer, options.clock.now(), previous ? { after: previous } : {});
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      logger.error({ sink: sink.description, problem }, "audit checkpoints: the audit log failed verification; no checkpoint written");
      // People hear of a new finding once (an audit.verify row and an audit.verification_failed event), not every interval.
      if (problem !== alarm) {
        await recordAuditVerificationFailure(options.db, options.auditKey, { actorType: "system", actor: "system:checkpoints", problem, firstBadSeq: null, at: options.clock.now() }).catch((e: unknown) =>
          logger.error({ err: e instanceof Error ? e.name : typeof e }, "audit checkpoints: recording the failed verification failed"),
        );
      }
      alarm = problem;
      return "refused";
    }
    alarm = undefined;
    if (previous && made.seq === previous.seq) return "unchanged";
    await sink.write(made);
    previous = made;
    logger.debug({ sink: sink.description, seq: made.seq }, "audit checkpoint written");
    return "written";
  };
  const writeNow = () =>
    (running ??= attempt()
      .catch((error: unknown) => {
        logger.error({ sink: sink.description, err: error instanceof Error ? error.message : String(error) }, "audit checkpoints: writing to the sink failed; retrying at the next interval");
        return "refused" as const;
      })
      .finally(() => (running = undefined)));

  await writeNow();
  const timer = options.intervalMs > 0 ? setInterval(() => void writeNow(), options.intervalMs) : undefined;
  timer?.unref();
  return {
    writeNow,
    latest: async () => {
      await refresh();
      return previous;
    },
    get alarm() {
      return alarm;
    },
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
