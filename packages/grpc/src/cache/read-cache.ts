import type { ChangeEvent, ServiceToken } from "@keyward/db";
import type { RecordedRequest } from "../access/record-request.js";
import { assertNever } from "@keyward/common";
import { createInvalidatingMap, type InvalidatingMap, type InvalidatingMapOptions } from "./invalidating-map.js";

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
  tokens: InvalidatingMap<string, ServiceToken | undefined>;
  /** Granted requests only (kind "ok", status "granted"). */
  grants: InvalidatingMap<string, RecordedRequest>;
  values: InvalidatingMap<string, CachedValue | undefined>;
  onChange(event: ChangeEvent): void;
  /** Drops everything; while notifications are not live, nothing is kept (every read goes to the database). */
  setLive(live: boolean): void;
}

export const grantKey = (serviceName: string, secretName: string) => `${serviceName}\u0000${secretName}`;

export function createReadCache(options: InvalidatingMapOptions): ReadCache {
  const tokens = createInvalidatingMap<string, ServiceToken | undefined>(options);
  const grants = createInvalidatingMap<string, RecordedRequest>(options);
  const values = createInvalidatingMap<string, CachedValue | undefined>(options);
  return {
    tokens,
    grants,
    values,
    onChange(event) {
      switch (event.kind) {
        case "secret":
          return values.delete(event.name);
        case "access":
          return grants.delete(grantKey(event.serviceName, event.secretName));
        case "token":
          // Keyed by hash, announced by id: token changes are rare, so drop them all.
          return tokens.clear();
        default:
          return assertNever(event, "change event");
      }
    },
    setLive(live) {
      for (const map of [tokens, grants, values]) map.setCaching(live);
    },
  };
}
