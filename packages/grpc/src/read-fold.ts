import type { Logger } from "@keyward/common";
import type { AuditWriter, NewAuditRow } from "@keyward/db";
import { peerAddress } from "./identity.js";

/**
 * One-shot timers: the global ones by default; tests pass their own to end a window when they
 * choose. `fn` returns the work it started (the flush), so such a test can await it.
 */
export interface Timers {
  setTimeout(fn: () => Promise<void>, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  // unref: a pending window never keeps the process alive (close() flushes it anyway).
  setTimeout: (fn, ms) => setTimeout(() => void fn(), ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const DEFAULT_FOLD_MAX_KEYS = 10_000;

export interface ReadFolder {
  /**
   * Audits a value read (GetSecret, GetSecrets). The first of its kind in a window is appended and
   * this resolves once it is durable; an identical one is only counted (it waits for nothing but
   * that first row, usually long committed). `versions` are the version(s) read, which the row
   * does not show but which make reads differ.
   */
  note(row: NewAuditRow, versions: readonly number[]): Promise<void>;
  /** Reads counted into a folded row instead of written, since start. */
  folded(): number;
  /** Appends a row for each kind of read repeated in the window now ending, and starts a new window. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

interface Tally {
  first: NewAuditRow;
  address: string;
  versions: readonly number[];
  /** The first row's append: repeats answer only once it is durable. */
  written: Promise<void>;
  more: number;
}

/** "folded 4 repeats of version 3", "... of versions 1,2", "folded 4 repeats: access_denied". */
const foldedReason = (t: Tally) => {
  const what = t.first.reason ? `: ${t.first.reason}` : t.versions.length > 0 ? ` of version${t.versions.length > 1 ? "s" : ""} ${t.versions.join(",")}` : "";
  return `folded ${t.more} repeat${t.more === 1 ? "" : "s"}${what}`;
};

/**
 * Opt-in folding of identical reads (issue #21), for read volumes where one row per read is too
 * much. Modelled on refusal-audit.ts. Per window and per (actor, action, target, result, reason,
 * environment, client address, versions), the first read is written before its value leaves, as
 * always; the repeats are counted and written as ONE row (`count` = reads it stands for, reason
 * "folded N repeats …", the window's end as `at`) when the window closes. So that a token read a
 * secret is always durable before the value leaves; what a crash can lose is the count of repeats
 * in the last window. Beyond `maxKeys` kinds at once, reads are written one row each (no memory
 * grows with the variety of reads).
 */
export function createReadFolder(options: { writer: AuditWriter; windowMs: number; now: () => Date; logger: Logger; timers?: Timers; maxKeys?: number }): ReadFolder {
  const { writer, windowMs, logger } = options;
  const timers = options.timers ?? systemTimers;
  const maxKeys = options.maxKeys ?? DEFAULT_FOLD_MAX_KEYS;
  let tallies = new Map<string, Tally>();
  let timer: unknown;
  let flushing: Promise<void> = Promise.resolve();
  let folded = 0;
  let closed = false;

  const writeFolded = async (t: Tally) => {
    // A first row that failed failed its repeats too (they awaited it): nothing to add.
    if (t.more === 0 || !(await t.written.then(() => true, () => false))) return;
    const row: NewAuditRow = {
      at: options.now(),
      actor_type: t.first.actor_type,
      actor_id: t.first.actor_id,
      action: t.first.action,
      target: t.first.target,
      result: t.first.result,
      reason: foldedReason(t),
      ip: t.address,
      user_agent: null,
      request_id: null,
      environment: t.first.environment ?? null,
      // A GetSecrets row already counts its names: the folded row stands for repeats × names reads.
      count: t.more * (t.first.count ?? 1),
    };
    try {
      await writer.append(row);
    } catch (error) {
      logger.error({ err: error, actor: row.actor_id, action: row.action, target: row.target, lost: t.more }, "a folded audit row could not be written: the count of repeated reads in that window is lost");
    }
  };

  const flush = async () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    const closing = tallies;
    tallies = new Map();
    await Promise.all([...closing.values()].map(writeFolded));
  };

  const startWindow = () => {
    timer ??= timers.setTimeout(() => {
      timer = undefined;
      return (flushing = flushing.then(flush));
    }, windowMs);
  };

  return {
    async note(row, versions) {
      // Once closed, no window is opened that nothing would flush.
      if (closed) return writer.append(row);
      const address = peerAddress(row.ip ?? "");
      const key = JSON.stringify([row.actor_id, row.action, row.target, row.result, row.reason ?? null, row.environment ?? null, address, versions]);
      const tally = tallies.get(key);
      if (tally) {
        tally.more++;
        await tally.written;
        folded++;
        return;
      }
      if (tallies.size >= maxKeys) return writer.append(row);
      const written = writer.append(row);
      const fresh: Tally = { first: row, address, versions, written, more: 0 };
      tallies.set(key, fresh);
      // The next identical read writes its own row rather than answer on a row that is not there.
      written.catch(() => tallies.get(key) === fresh && tallies.delete(key));
      startWindow();
      return written;
    },
    folded: () => folded,
    flush: () => (flushing = flushing.then(flush)),
    async close() {
      closed = true;
      await (flushing = flushing.then(flush));
    },
  };
}
