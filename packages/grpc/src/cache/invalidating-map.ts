/**
 * A bounded map that refuses stale fills: a load that started before an invalidation does not
 * store its (possibly old) result, so a change notification can never be overtaken by a read.
 */
export interface InvalidatingMap<K, V> {
  get(key: K): V | undefined;
  /** Runs `loader` and caches its result if `keep` says so and nothing was invalidated meanwhile. */
  fill(key: K, loader: () => Promise<V>, keep: (value: V) => boolean): Promise<V>;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

export function createInvalidatingMap<K, V>(maxEntries = 10_000): InvalidatingMap<K, V> {
  const map = new Map<K, V>();
  // One epoch for the whole map: cheaper than per-key and still correct (a fill racing any
  // invalidation is simply not cached).
  let epoch = 0;
  return {
    get: (key) => map.get(key),
    async fill(key, loader, keep) {
      const started = epoch;
      const value = await loader();
      if (started === epoch && keep(value)) {
        if (map.size >= maxEntries && !map.has(key)) map.delete(map.keys().next().value!);
        map.set(key, value);
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
    get size() {
      return map.size;
    },
  };
}
