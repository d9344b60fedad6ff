/** Exponential backoff: `baseMs * 2^(attempt-1)`, capped at `maxMs`. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { baseMs: 5_000, maxMs: 60 * 60_000 };

/** The wait after the `attempt`-th failed attempt (1-based). */
export function backoffDelay(backoff: Backoff = defaultBackoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}
