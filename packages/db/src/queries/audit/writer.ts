import type { Kysely } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database, NewAuditRow } from "../../schema.js";
import { appendAuditBatch } from "./append-batch.js";
import { createChangeBatcher, type AuditedChange } from "./change-batcher.js";
import { createChainState } from "./chain-state.js";

export interface AuditWriter {
  /** Resolves only after the row is committed, chained after every row appended before it. */
  append(row: NewAuditRow): Promise<void>;
  /**
   * Runs a change and the audit rows it queues in ONE transaction, as inAuditedTransaction does, but
   * grouped with the changes that arrive meanwhile (see createChangeBatcher): they commit together,
   * each change with its own rows, and a change that throws is rolled back and refused alone.
   * A change must not call `change` itself: it would wait for its own batch.
   */
  change<T>(change: AuditedChange<T>): Promise<T>;
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
  /** Most changes grouped in one transaction by `change` (default 32). */
  maxChanges?: number;
  /** Groups of changes that run at once, each on its own connection (default 4; 1 with a single-connection database such as PGlite is fine too). */
  changeConcurrency?: number;
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
  const maxChanges = options.maxChanges ?? 32;
  const changeConcurrency = options.changeConcurrency ?? 4;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new KeywardError("invalid_argument", `maxBatch must be a positive integer, got ${maxBatch}`, { field: "maxBatch" });
  if (!Number.isInteger(changeConcurrency) || changeConcurrency < 1) throw new KeywardError("invalid_argument", `changeConcurrency must be a positive integer, got ${changeConcurrency}`, { field: "changeConcurrency" });
  if (!Number.isInteger(maxChanges) || maxChanges < 1) throw new KeywardError("invalid_argument", `maxChanges must be a positive integer, got ${maxChanges}`, { field: "maxChanges" });
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) throw new KeywardError("invalid_argument", `maxDelayMs must be zero or more, got ${maxDelayMs}`, { field: "maxDelayMs" });

  const queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // The chain's tail as this process last committed it: lets a batch go in one statement (see
  // appendAuditBatch). Read rows and changes append through the same lock, so it stays exact.
  const chain = createChainState();
  const changes = createChangeBatcher({ db: options.db, auditKey: options.auditKey, chain, maxChanges, concurrency: changeConcurrency });
  const write = (batch: Pending[]) =>
    options.db.connection().execute(async (conn) => {
      const release = await chain.lock();
      try {
        chain.tail = await appendAuditBatch(conn, options.auditKey, chain.tail, batch.map((p) => p.row));
      } catch (error) {
        chain.tail = undefined;
        throw error;
      } finally {
        release();
      }
    });

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
    change(change) {
      if (closed) return Promise.reject(new KeywardError("internal", "the audit writer is closed"));
      return changes.run(change);
    },
    async close() {
      closed = true;
      await changes.settle();
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        startDrain();
      }
      while (writing) await writing;
    },
  };
}

