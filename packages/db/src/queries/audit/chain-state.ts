import type { AuditTail } from "./append-batch.js";

/**
 * What one process's appenders share about the audit chain: the tail they last committed (a hint the
 * append statement re-checks under the database lock) and an in-process lock in arrival order, so
 * they append one at a time and the hint stays exact. Take the lock only while holding a connection
 * (inside a transaction, or `db.connection()`): then a full pool never waits on the lock's holder.
 */
export interface ChainState {
  tail: AuditTail | undefined;
  /** Resolves with the function that releases the lock. */
  lock(): Promise<() => void>;
}

export function createChainState(): ChainState {
  let last: Promise<void> = Promise.resolve();
  return {
    tail: undefined,
    async lock() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const before = last;
      last = before.then(() => held);
      await before;
      return release;
    },
  };
}
