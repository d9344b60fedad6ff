import type { ClientClock } from "./clock.js";

export interface CacheOptions {
  /** How long a fetched value is served without asking the service (default 60 000 ms; 0 turns caching off). */
  ttlMs: number;
  /** How long past its TTL a value may still be served when the service cannot be reached (default 300 000 ms). */
  maxStaleMs: number;
  /** Within this long before expiry, a read serves the cached value and refreshes it in the background (default 10 000 ms). */
  refreshAheadMs: number;
}

export type CacheLookup =
  /** Served as is; `refresh` says it is close enough to expiry to refresh in the background. */
  | { kind: "fresh"; value: string; version: number; refresh: boolean }
  /** Past its TTL but within maxStaleMs: serve only if fetching fails in transit. */
  | { kind: "stale"; value: string; version: number }
  | { kind: "miss" };

export interface SecretCache {
  get(name: string): CacheLookup;
  set(name: string, value: string, version: number): void;
  delete(name: string): void;
  /** Makes an entry (or every entry) stale: the next read fetches, but it may still stand in on errors. */
  markStale(name?: string): void;
  clear(): void;
}

interface Entry {
  value: string;
  version: number;
  fetchedAt: number;
}

export function createSecretCache(options: CacheOptions, clock: ClientClock): SecretCache {
  const entries = new Map<string, Entry>();
  return {
    get(name) {
      const entry = entries.get(name);
      if (!entry) return { kind: "miss" };
      const age = clock.now() - entry.fetchedAt;
      if (age < options.ttlMs) return { kind: "fresh", value: entry.value, version: entry.version, refresh: age >= options.ttlMs - options.refreshAheadMs };
      if (age < options.ttlMs + options.maxStaleMs) return { kind: "stale", value: entry.value, version: entry.version };
      // Too old even for stale-if-error: forget it.
      entries.delete(name);
      return { kind: "miss" };
    },
    set(name, value, version) {
      entries.set(name, { value, version, fetchedAt: clock.now() });
    },
    delete(name) {
      entries.delete(name);
    },
    markStale(name) {
      const stale = clock.now() - options.ttlMs;
      if (name === undefined) for (const entry of entries.values()) entry.fetchedAt = Math.min(entry.fetchedAt, stale);
      else {
        const entry = entries.get(name);
        if (entry) entry.fetchedAt = Math.min(entry.fetchedAt, stale);
      }
    },
    clear() {
      entries.clear();
    },
  };
}
