import type { Logger } from "@keyward/common";
import type { KeywardDatabase } from "../connect.js";
import type { ChangeEvent } from "./events.js";
import { subscribeToChanges } from "./subscribe.js";

/** "live": notifications arrive; "reconnecting": the listening connection was lost and events are being missed. */
export type ChangeFeedState = "live" | "reconnecting";

export interface ChangeListener {
  onChange(event: ChangeEvent): void;
  /**
   * The feed was lost ("reconnecting") or is back ("live"). Either way notifications may have been
   * missed: drop whatever was derived from them.
   */
  onState?(state: ChangeFeedState): void;
}

/** One database subscription per process, fanned out to the gRPC caches, health and every WatchSecrets stream, and the admin API's lookups. */
export interface ChangeHub {
  add(listener: ChangeListener): () => void;
  readonly state: ChangeFeedState;
  close(): Promise<void>;
}

export interface ChangeHubOptions {
  /** PostgreSQL: the listening connection's heartbeat (see ListenOptions.heartbeatMs). */
  heartbeatMs: number;
}

export async function createChangeHub(database: KeywardDatabase, logger: Logger, options: ChangeHubOptions): Promise<ChangeHub> {
  const listeners = new Set<ChangeListener>();
  let state: ChangeFeedState = "live";
  const each = (fn: (l: ChangeListener) => void) => {
    for (const l of listeners) {
      try {
        fn(l);
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, "change listener failed");
      }
    }
  };
  const enter = (next: ChangeFeedState) => {
    state = next;
    each((l) => l.onState?.(next));
  };
  const subscription = await subscribeToChanges(database, (event) => each((l) => l.onChange(event)), {
    heartbeatMs: options.heartbeatMs,
    onLost: () => {
      logger.warn({}, "change notifications lost; caches off and not ready until the listening connection is back");
      enter("reconnecting");
    },
    onReconnect: () => {
      logger.warn({}, "change notifications reconnected; caches dropped and back on");
      enter("live");
    },
  });
  return {
    add(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get state() {
      return state;
    },
    close: () => subscription.close(),
  };
}
