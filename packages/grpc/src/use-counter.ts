import type { Logger } from "@keyward/common";
import { recordAccessRequestUse, recordServiceTokenUse, type Database } from "@keyward/db";
import type { Kysely } from "kysely";

/**
 * Use counters (access_count, last used) written off the hot path: uses are summed per row while
 * a flush is in flight (and for a short pause after it) and written together next, so a busy read
 * path adds no write per call.
 * Counts live in the database (`count + n`), so replicas stay correct.
 */
export interface UseCounter {
  record(tokenId: string, requestId: string, at: Date): void;
  /** Writes what is pending (close() and tests call it). */
  flush(): Promise<void>;
}

interface Pending {
  count: number;
  at: Date;
}

/** Pause between writes while uses keep coming (ms): a busy server writes ~10 times a second, not per call. */
const DEFAULT_INTERVAL_MS = 100;

export function createUseCounter(db: Kysely<Database>, logger: Logger, intervalMs = DEFAULT_INTERVAL_MS): UseCounter {
  let tokens = new Map<string, Pending>();
  let requests = new Map<string, Pending>();
  let inFlight: Promise<void> | undefined;

  const add = (map: Map<string, Pending>, id: string, at: Date) => {
    const p = map.get(id);
    if (p) {
      p.count++;
      if (at > p.at) p.at = at;
    } else map.set(id, { count: 1, at });
  };

  const writeOnce = async () => {
    const [t, r] = [tokens, requests];
    tokens = new Map();
    requests = new Map();
    for (const [id, p] of t) await recordServiceTokenUse(db, id, p.at, p.count);
    for (const [id, p] of r) await recordAccessRequestUse(db, id, p.at, p.count);
  };

  const run = async () => {
    try {
      while (tokens.size > 0 || requests.size > 0) {
        await writeOnce();
        // Let uses pile up before the next write; without this pause a steady stream of reads kept
        // two UPDATE commits running back to back on the database, competing with the audit commits.
        if (tokens.size > 0 || requests.size > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
      }
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "use counters not written");
    } finally {
      inFlight = undefined;
    }
  };

  return {
    record(tokenId, requestId, at) {
      add(tokens, tokenId, at);
      add(requests, requestId, at);
      inFlight ??= run();
    },
    async flush() {
      while (inFlight) await inFlight;
      if (tokens.size > 0 || requests.size > 0) await (inFlight = run());
    },
  };
}
