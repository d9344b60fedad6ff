import { type Kysely, type Transaction } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database, NewAuditRow } from "../../schema.js";
import { isPreparedStatementError } from "../../prepared.js";
import { appendAuditAfter, readAuditHead, type AuditTail } from "./append-batch.js";
import type { AuditSink } from "./audited.js";
import type { ChainState } from "./chain-state.js";

/** A change and the audit rows it queues, as inAuditedTransaction runs it. */
export type AuditedChange<T> = (trx: Transaction<Database>, audit: AuditSink) => Promise<T>;

export interface ChangeBatcher {
  run<T>(change: AuditedChange<T>): Promise<T>;
  /** Waits for the changes already queued or running. */
  settle(): Promise<void>;
}

interface Job {
  change: AuditedChange<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Times it was rolled back as a deadlock victim and queued again. */
  retries: number;
  /** Runs as a batch of its own: a change of its batch threw, so the batch was rolled back and split. */
  alone: boolean;
}

/**
 * Deadlock (40P01) and serialization failure (40001): the database chose this change to roll back;
 * and a prepared statement that must be prepared afresh (a migration changed its result columns):
 * the transaction was aborted before its commit. Running the change again is safe.
 */
const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_RETRIES = 3;
const retryable = (error: unknown, job: Job) => job.retries < MAX_RETRIES && (RETRYABLE.has(String((error as { code?: unknown } | null)?.code)) || isPreparedStatementError(error));

/**
 * Group commit for audited changes. Concurrent changes share one transaction, then all their
 * audit rows are chained in one statement and committed with them. So a change and its audit row
 * still commit together or not at all, while the chain's lock, held for the append and the commit,
 * is paid once per batch instead of once per change.
 *
 * Changes refuse through their results, and almost never throw, so a batch runs without a
 * savepoint per change (a round trip each, on the write path's busiest connection). When one does
 * throw, the whole batch is rolled back and every change in it runs again as a batch of its own,
 * where a throw refuses that change alone: the outcome each would have had by itself. Changes are
 * already written to be run again (a deadlock victim is), so running one twice is safe.
 *
 * Up to `concurrency` batches are in flight at once, each on its own connection, from their first
 * change to their commit; their appends go one at a time. Under light load each change is a batch
 * of one and starts at once; when every slot is busy, arrivals queue and the next batch takes them
 * all, so the busier the writes, the larger the batches. Two batches touching the same rows in
 * opposite orders can deadlock: the database rolls one back, whose changes run again alone, and a
 * lone change that is a victim is queued again, up to three times.
 */
export function createChangeBatcher(options: { db: Kysely<Database>; auditKey: Uint8Array; chain: ChainState; maxChanges: number; concurrency: number }): ChangeBatcher {
  const { db, auditKey, chain, maxChanges, concurrency } = options;
  const queue: Job[] = [];
  const running = new Set<Promise<void>>();
  let inFlight = 0;

  const pump = () => {
    while (inFlight < concurrency && queue.length > 0) {
      inFlight += 1;
      const done: Promise<void> = runBatch(nextBatch()).finally(() => running.delete(done));
      running.add(done);
    }
  };

  /** A change to run alone is a batch by itself; otherwise up to maxChanges that are not. */
  const nextBatch = (): Job[] => {
    if (queue[0]!.alone) return queue.splice(0, 1);
    let n = 1;
    while (n < maxChanges && n < queue.length && !queue[n]!.alone) n += 1;
    return queue.splice(0, n);
  };

  /** A deadlock victim goes back to the front of the queue; anything else is its caller's error. */
  const settleFailed = (job: Job, error: unknown) => {
    if (!retryable(error, job)) return job.reject(error);
    job.retries += 1;
    queue.unshift(job);
  };

  const runBatch = async (batch: Job[]) => {
    const values: unknown[] = [];
    let appended: AuditTail | undefined;
    // Set when a change threw: the transaction is then rolled back before COMMIT is ever sent, so
    // its changes certainly did not commit and may run again.
    let changeThrew = false;
    try {
      await db.transaction().execute(async (trx) => {
        const rows: NewAuditRow[] = [];
        for (const job of batch) {
          try {
            values.push(await job.change(trx, (row) => void rows.push(row)));
          } catch (error) {
            changeThrew = true;
            throw error;
          }
        }
        if (rows.length > 0) {
          // The in-process lock covers the append only: the database's chain lock, which the append
          // took, is held until this commit, so the next group's append (already chained after
          // these rows) waits for it there and runs the moment it is released.
          const release = await chain.lock();
          try {
            appended = await appendInTransaction(trx, auditKey, chain.tail, rows);
            chain.tail = appended;
          } finally {
            release();
          }
        }
      });
      for (const [i, job] of batch.entries()) job.resolve(values[i]);
    } catch (error) {
      // The tail is unknown again.
      if (appended) chain.tail = undefined;
      if (changeThrew && batch.length > 1) {
        // Which change the error belongs to is not certain (a batchmate's write can make another
        // fail): each runs again alone, in order, ahead of what queued meanwhile.
        for (const job of batch) job.alone = true;
        queue.unshift(...batch);
      } else {
        // A lone change's error, or the append's or the commit's. A failed commit may still have
        // committed (the connection dropped after it was sent), so nothing is run again here
        // unless the database said it rolled the transaction back (a deadlock victim).
        for (const job of batch) settleFailed(job, error);
      }
    } finally {
      // The slot is free once this batch has committed (or failed): the next takes what queued.
      inFlight -= 1;
      pump();
    }
  };

  return {
    run<T>(change: AuditedChange<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ change, resolve: resolve as (value: unknown) => void, reject, retries: 0, alone: false });
        pump();
      });
    },
    async settle() {
      while (running.size > 0 || queue.length > 0) await Promise.all(running);
    },
  };
}

/**
 * Appends `rows` inside `trx` after `tail` (read when unknown). The append statement takes the
 * chain's database lock for the rest of the transaction, so when `tail` proves stale (another
 * process appended) the second attempt, after the head it reported, cannot be overtaken.
 */
async function appendInTransaction(trx: Transaction<Database>, key: Uint8Array, tail: AuditTail | undefined, rows: readonly NewAuditRow[]): Promise<AuditTail> {
  const first = await appendAuditAfter(trx, key, tail ?? (await readAuditHead(trx)), rows);
  if (first.appended) return first.head;
  const second = await appendAuditAfter(trx, key, first.head, rows);
  if (!second.appended) throw new KeywardError("internal", "the audit chain moved while its lock was held");
  return second.head;
}
