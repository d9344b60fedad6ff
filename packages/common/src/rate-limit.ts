import { createLruOrder } from "./lru-order.js";

/** A token bucket per key: `burst` calls at once, refilled at `perSecond`. */
export interface RateLimiter {
  /** Takes one call from `key`'s bucket; false when it is empty. */
  take(key: string): boolean;
  /** Whether `key`'s bucket has a call left, without taking it. */
  has(key: string): boolean;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Its place in the least-recently-used order (see lru-order.ts). */
  seq: number;
}

export function createRateLimiter(options: { perSecond: number; burst: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();
  const order = createLruOrder(maxKeys);
  const level = (bucket: Bucket, t: number) => Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
  return {
    has(key) {
      const bucket = buckets.get(key);
      return !bucket || level(bucket, now()) >= 1;
    },
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        bucket.tokens = level(bucket, t);
        bucket.at = t;
        order.touch(buckets, key, bucket);
      } else {
        bucket = { tokens: options.burst, at: t, seq: 0 };
        // Bounded memory under a flood of distinct keys: forget the least recently used bucket (a full one again).
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        order.stamp(bucket);
        buckets.set(key, bucket);
      }
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
