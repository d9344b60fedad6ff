import { subscribeToChanges, type ChangeEvent, type KeywardDatabase } from "@keyward/db";
import type { Logger } from "@keyward/common";

export interface ChangeListener {
  onChange(event: ChangeEvent): void;
  /** Notifications may have been missed (the listening connection dropped): re-read everything. */
  onReset?(): void;
}

/** One database subscription per server, fanned out to the caches and every WatchSecrets stream. */
export interface ChangeHub {
  add(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

export async function createChangeHub(database: KeywardDatabase, logger: Logger): Promise<ChangeHub> {
  const listeners = new Set<ChangeListener>();
  const each = (fn: (l: ChangeListener) => void) => {
    for (const l of listeners) {
      try {
        fn(l);
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, "change listener failed");
      }
    }
  };
  const subscription = await subscribeToChanges(database, (event) => each((l) => l.onChange(event)), {
    onReconnect: () => {
      logger.warn({}, "change notifications reconnected; dropping caches");
      each((l) => l.onReset?.());
    },
  });
  return {
    add(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => subscription.close(),
  };
}
