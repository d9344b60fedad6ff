import type { BoundServiceToken, ChangeEvent } from "@keyward/db";
import type { RecordedRequest } from "../access/record-request.js";
import { assertNever, createInvalidatingMap, type InvalidatingMap, type InvalidatingMapOptions } from "@keyward/common";

/** A decrypted current version, with the stored description (for the mismatch check). */
export interface CachedValue {
  value: string;
  version: number;
  description: string;
}

/**
 * What the read path keeps in memory. Only positive answers are cached (approved tokens, granted
 * requests, readable values), so an approval is seen at once and only revocations and new values
 * wait for their change notification (LISTEN/NOTIFY, every replica), or for the entry's max age
 * should the notification be lost.
 */
export interface ReadCache {
  tokens: InvalidatingMap<string, BoundServiceToken | undefined>;
  /** Granted requests only (kind "ok", status "granted"), by grantKey (environment, service, secret). */
  grants: InvalidatingMap<string, RecordedRequest>;
  /** By valueKey (environment, secret): each environment has its own value of a name. */
  values: InvalidatingMap<string, CachedValue | undefined>;
  onChange(event: ChangeEvent): void;
  /** Drops everything; while notifications are not live, nothing is kept (every read goes to the database). */
  setLive(live: boolean): void;
}

// Keyed by environment id, not name: a renamed environment keeps its id, and notifications carry it.
export const grantKey = (environmentId: string, serviceName: string, secretName: string) => `${environmentId}\u0000${serviceName}\u0000${secretName}`;
export const valueKey = (environmentId: string, secretName: string) => `${environmentId}\u0000${secretName}`;

export function createReadCache(options: InvalidatingMapOptions): ReadCache {
  const tokens = createInvalidatingMap<string, BoundServiceToken | undefined>(options);
  const grants = createInvalidatingMap<string, RecordedRequest>(options);
  const values = createInvalidatingMap<string, CachedValue | undefined>(options);
  return {
    tokens,
    grants,
    values,
    onChange(event) {
      switch (event.kind) {
        // No environment id: its environment was deleted with the row; drop everything of that kind.
        case "secret":
          return event.environmentId === null ? values.clear() : values.delete(valueKey(event.environmentId, event.name));
        case "access":
          return event.environmentId === null ? grants.clear() : grants.delete(grantKey(event.environmentId, event.serviceName, event.secretName));
        case "token":
          // Keyed by hash, announced by id: token changes are rare, so drop them all.
          return tokens.clear();
        case "change_request":
          // A request changes nothing until it is applied, and applying it changes the rows above.
          return;
        case "admin_key":
        case "environment":
          // Admin keys are not read here; an environment's rows (values, grants) announce themselves.
          return;
        default:
          return assertNever(event, "change event");
      }
    },
    setLive(live) {
      for (const map of [tokens, grants, values]) map.setCaching(live);
    },
  };
}
