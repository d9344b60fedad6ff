/**
 * Least-recently-used order for a bounded Map, kept cheaply: a Map iterates in insertion order, so
 * moving a key to the end (delete, then set) makes the first key the one to evict. Doing that on
 * every read costs two hash operations per hit on a hot path; here an entry moves only once it has
 * fallen into the older half of the last `capacity` insertions. A key is only evicted after at least
 * `capacity - 1` later insertions, so one read per half of that keeps it, as exact LRU would.
 */
export interface LruOrder {
  /** Marks an entry as just inserted (call before `map.set`). */
  stamp(entry: { seq: number }): void;
  /** Marks a read: moves the entry to the end of `map` when it has grown old. */
  touch<K, E extends { seq: number }>(map: Map<K, E>, key: K, entry: E): void;
}

export function createLruOrder(capacity: number): LruOrder {
  const half = Math.max(1, capacity >> 1);
  let next = 0;
  return {
    stamp(entry) {
      entry.seq = next++;
    },
    touch(map, key, entry) {
      if (next - entry.seq <= half) return;
      map.delete(key);
      entry.seq = next++;
      map.set(key, entry);
    },
  };
}
