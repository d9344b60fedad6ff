import type { ChangeEvent } from "../src/index.js";

/** Collects change events and waits for one matching a predicate, listing what did arrive on failure. */
export function eventCollector() {
  const events: ChangeEvent[] = [];
  const waiters: { match: (e: ChangeEvent) => boolean; resolve: (e: ChangeEvent) => void }[] = [];
  let cursor = 0;
  return {
    events,
    push(event: ChangeEvent) {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    /** Resolves with the first event after the previous `next` that matches. */
    next(match: (e: ChangeEvent) => boolean, what: string, timeoutMs = 15_000): Promise<ChangeEvent> {
      const seen = events.slice(cursor).findIndex(match);
      if (seen >= 0) {
        cursor += seen + 1;
        return Promise.resolve(events[cursor - 1]!);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} event; got ${JSON.stringify(events.slice(cursor))}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            cursor = events.length;
            resolve(e);
          },
        });
      });
    },
  };
}
