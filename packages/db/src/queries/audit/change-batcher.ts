import { sql, type Kysely, type Transaction } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database, NewAuditRow } from "../../schema.js";
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
}

/**
 * Group commit for audited changes. Concurrent changes share one transaction: each runs behind
 * its own savepoint (a change that throws is rolled back to it and refused alone), then all their
 * audit rows are chained in one statement and committed with them. So a change and its audit row
 * still commit together or not at all, while the chain's lock, held for the append and the commit,
 * is paid once per batch instead of once per change.
 *
 * Two batches overlap at most: one running its changes, one appending and committing. Only one
 * batch runs changes at a time, so two batches of this process never wait on each other's row
 * locks (the committing one waits on nothing the running one holds), and cannot deadlock.
 */
export function createChangeBatcher(options: { db: Kysely<Database>; auditKey: Uint8Array; chain: ChainState; maxChanges: number }): ChangeBatcher {
  const { db, auditKey, chain, maxChanges } = options;
  const queue: Job[] = [];
  const running = new Set<Promise<void>>();
  let changing = false;

  const pump = () => {
    if (changing || queue.length === 0) return;
    changing = true;
    const done: Promise<void> = runBatch(queue.splice(0, maxChanges)).finally(() => running.delete(done));
    running.add(done);
  };

  // Lets the next batch start its changes (once per batch, whichever way this one ends).
  const nextBatch = (state: { handedOver: boolean }) => {
    if (state.handedOver) return;
    state.handedOver = true;
    changing = false;
    pump();
  };

  const runBatch = async (batch: Job[]) => {
    const state = { handedOver: false };
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let release: (() => void) | undefined;
    let appended: AuditTail | undefined;
    try {
      await db.transaction().execute(async (trx) => {
        const rows: NewAuditRow[] = [];
        for (const [i, job] of batch.entries()) {
          const savepoint = sql.raw(`keyward_change_${i}`);
          // A lone change needs no savepoint: its failure rolls back the whole transaction below.
          if (batch.length > 1) await sql`savepoint ${savepoint}`.execute(trx);
          const own: NewAuditRow[] = [];
          try {
            const value = await job.change(trx, (row) => void own.push(row));
            rows.push(...own);
            outcomes.push({ ok: true, value });
          } catch (error) {
            if (batch.length === 1) throw error;
            await sql`rollback to savepoint ${savepoint}`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
        nextBatch(state);
        if (rows.length > 0) {
          release = await chain.lock();
          appended = await appendInTransaction(trx, auditKey, chain.tail, rows);
        }
      });
      if (appended) chain.tail = appended;
      for (const [i, job] of batch.entries()) {
        const outcome = outcomes[i]!;
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(outcome.error);
      }
    } catch (error) {
      // Nothing of the batch committed (a lone change threw, or the commit failed): every change is
      // refused with the error, as its own transaction would have been. The tail is unknown again.
      if (appended) chain.tail = undefined;
      for (const job of batch) job.reject(error);
    } finally {
      release?.();
      nextBatch(state);
    }
  };

  return {
    run<T>(change: AuditedChange<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ change, resolve: resolve as (value: unknown) => void, reject });
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
