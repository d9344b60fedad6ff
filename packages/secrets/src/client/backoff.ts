export interface BackoffOptions {
  /** The first retry waits up to this long (default 100 ms). */
  baseMs: number;
  /** No wait is longer than this (default 2000 ms). */
  maxMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniformly random wait in [0, min(max, base·2^retry)).
 * Jitter spreads the retries of many clients that failed together, so a recovering service is
 * not hit by them all at once. `retry` counts from 0; `random` returns [0, 1) like Math.random.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
