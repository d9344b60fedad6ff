import { createLruOrder } from "./lru-order.js";

/**
 * A bounded map that refuses stale fills: a load that started before an invalidation does not
 * store its (possibly old) result, so a change notification can never be overtaken by a read.
 * Entries also expire `maxAgeMs` after their load started, so a lost notification is outlived.
 */
export interface InvalidatingMap<K, V> {
  get(key: K): V | undefined;
  /** Runs `loader` and caches its result if `keep` says so, caching is on and nothing was invalidated meanwhile. */
  fill(key: K, loader: () => Promise<V>, keep: (value: V) => boolean): Promise<V>;
  delete(key: K): void;
  clear(): void;
  /** Drops everything; while off, fills are not kept, so every read goes to its loader. */
  setCaching(on: boolean): void;
  readonly size: number;
}

export interface InvalidatingMapOptions {
  /** Most entries kept (default DEFAULT_CACHE_MAX_ENTRIES); a fill beyond it evicts the least recently used. */
  maxEntries?: number;
  /** An entry older than this (from the start of the load that filled it) is a miss. */
  maxAgeMs: number;
  /** A monotonic clock in milliseconds (default performance.now: no syscall, immune to wall-clock jumps). */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  /** When the load that produced it started: the value is at least this fresh. */
  at: number;
  /** Its place in the least-recently-used order (see lru-order.ts). */
  seq: number;
}

export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

export function createInvalidatingMap<K, V>(options: InvalidatingMapOptions): InvalidatingMap<K, V> {
  const { maxEntries = DEFAULT_CACHE_MAX_ENTRIES, maxAgeMs } = options;
  const now = options.now ?? (() => performance.now());
  const map = new Map<K, Entry<V>>();
  const order = createLruOrder(maxEntries);
  // One epoch for the whole map: cheaper than per-key and still correct (a fill racing any
  // invalidation is simply not cached).
  let epoch = 0;
  let caching = true;
  return {
    get(key) {
      const entry = map.get(key);
      if (entry === undefined) return undefined;
      if (now() - entry.at > maxAgeMs) {
        map.delete(key);
        return undefined;
      }
      // A full map evicts a cold key, not a hot one.
      order.touch(map, key, entry);
      return entry.value;
    },
    async fill(key, loader, keep) {
      const started = epoch;
      const at = now();
      const value = await loader();
      if (caching && started === epoch && keep(value)) {
        map.delete(key);
        if (map.size >= maxEntries) map.delete(map.keys().next().value!);
        const entry = { value, at, seq: 0 };
        order.stamp(entry);
        map.set(key, entry);
      }
      return value;
    },
    delete(key) {
      epoch++;
      map.delete(key);
    },
    clear() {
      epoch++;
      map.clear();
    },
    setCaching(on) {
      caching = on;
      epoch++;
      map.clear();
    },
    get size() {
      return map.size;
    },
  };
}
