import type { Kysely } from "kysely";
import { systemClock, type Clock, type Logger } from "@keyward/common";
import { claimOutboxEvents, markOutboxDispatched, markOutboxFailed, type Database, type OutboxEvent } from "@keyward/db";
import { backoffDelay, type Backoff } from "./backoff.js";

/** Hands one event on (e.g. routes it to its channels). Must honour `event.id` as the idempotency key: it may be called again for the same event. */
export type EventHandler = (event: OutboxEvent) => Promise<void>;

export interface OutboxDispatcherOptions {
  db: Kysely<Database>;
  handle: EventHandler;
  clock?: Clock;
  logger?: Logger;
  /** Events claimed per batch. Default 50. */
  batchSize?: number;
  /** How long a claim holds; a crashed dispatcher's events are claimed again after it. Default 60 s. */
  claimMs?: number;
  backoff?: Backoff;
}

export interface OutboxDispatcher {
  /** Claims and handles due events until none is left; resolves with how many were handed on and how many failed. */
  drain(): Promise<{ dispatched: number; failed: number }>;
}

/**
 * At-least-once delivery from the outbox: an event is marked dispatched only after its handler
 * resolved, so a crash between the handler and the mark hands it on again (same id) and a crash
 * before loses nothing. A failing handler's event is retried with exponential backoff.
 */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? 50;
  const claimMs = options.claimMs ?? 60_000;
  return {
    async drain() {
      let dispatched = 0;
      let failed = 0;
      for (;;) {
        const events = await claimOutboxEvents(options.db, { now: clock.now(), limit: batchSize, claimMs });
        if (events.length === 0) return { dispatched, failed };
        for (const event of events) {
          try {
            await options.handle(event);
            await markOutboxDispatched(options.db, event.id, clock.now());
            dispatched++;
          } catch (e) {
            failed++;
            const error = e instanceof Error ? e.message : String(e);
            options.logger?.warn({ event: event.id, type: event.type, attempts: event.attempts, err: error }, "handing on an event failed; it will be retried");
            await markOutboxFailed(options.db, event.id, { error, retryAt: new Date(clock.now().getTime() + backoffDelay(options.backoff, event.attempts)) });
          }
        }
      }
    },
  };
}
