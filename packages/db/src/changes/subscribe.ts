import type { KeywardDatabase } from "../connect.js";
import type { ListenOptions } from "./listen-postgres.js";
import { CHANGES_CHANNEL, parseChangeEvent, type ChangeEvent } from "./events.js";

export interface ChangeSubscription {
  close(): Promise<void>;
}

/**
 * Calls `onChange` for every committed change to secrets, access requests and service tokens,
 * made by any writer on the same database (PGlite in-process, or PostgreSQL across processes).
 */
export function subscribeToChanges(database: KeywardDatabase, onChange: (event: ChangeEvent) => void, options: ListenOptions = {}): Promise<ChangeSubscription> {
  return database.listen(
    CHANGES_CHANNEL,
    (payload) => {
      const event = parseChangeEvent(payload);
      if (event) onChange(event);
    },
    options,
  );
}
