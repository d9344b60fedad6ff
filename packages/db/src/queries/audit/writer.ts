import type { Kysely } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database, NewAuditRow } from "../../schema.js";
import { appendAuditBatch, type AuditTail } from "./append-batch.js";

export interface AuditWriter {
  /** Resolves only after the row is committed, chained after every row appended before it. */
  append(row: NewAuditRow): Promise<void>;
  /** Writes what is queued, then refuses new rows. */
  close(): Promise<void>;
}

export interface AuditWriterOptions {
  db: Kysely<Database>;
  auditKey: Uint8Array;
  /** Most rows per transaction (default 256). */
  maxBatch?: number;
  /** How long the first queued row waits for company before a write starts (default 0: none). */
  maxDelayMs?: number;
}

interface Pending {
  row: NewAuditRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for audit rows: while one transaction is being written, rows that arrive queue up
 * and go together in the next one, so a busy read path pays one commit per batch instead of one
 * per read, and no caller sees its value before its row is durable.
 */
export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const maxBatch = options.maxBatch ?? 256;
  const maxDelayMs = options.maxDelayMs ?? 0;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new KeywardError("invalid_argument", `maxBatch must be a positive integer, got ${maxBatch}`, { field: "maxBatch" });
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) throw new KeywardError("invalid_argument", `maxDelayMs must be zero or more, got ${maxDelayMs}`, { field: "maxDelayMs" });

  const queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // The chain's last row as this writer last saw it: lets a batch go in one statement (see appendAuditBatch).
  let tail: AuditTail | undefined;
  const write = async (batch: Pending[]) => {
    tail = await appendAuditBatch(options.db, options.auditKey, tail, batch.map((p) => p.row));
  };

  const writeBatch = async (batch: Pending[]) => {
    try {
      await write(batch);
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One bad row must not fail its batchmates: retry each alone, so only it is refused.
      for (const p of batch) {
        try {
          await write([p]);
          p.resolve();
        } catch (single) {
          p.reject(single);
        }
      }
    }
  };

  // Drains the queue one transaction at a time; a single loop keeps batches in arrival order.
  const drain = async () => {
    while (queue.length > 0) await writeBatch(queue.splice(0, maxBatch));
    writing = undefined;
  };

  const startDrain = () => {
    writing ??= drain();
  };

  const kick = () => {
    if (writing || timer) return;
    if (maxDelayMs === 0 || queue.length >= maxBatch) return startDrain();
    timer = setTimeout(() => {
      timer = undefined;
      startDrain();
    }, maxDelayMs);
  };

  return {
    append(row) {
      if (closed) return Promise.reject(new KeywardError("internal", "the audit writer is closed"));
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (timer && queue.length >= maxBatch) {
          clearTimeout(timer);
          timer = undefined;
        }
        kick();
      });
    },
    async close() {
      closed = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        startDrain();
      }
      while (writing) await writing;
    },
  };
}
