import type { ClientClock } from "./clock.js";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit (default 5). */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call may go out (default 10 000 ms). */
  resetAfterMs: number;
}

export interface CircuitBreaker {
  /** "half-open" once an open circuit has waited resetAfterMs: the next call is the trial. */
  readonly state: CircuitState;
  /** Whether a call may go out now. In half-open, only one trial is let through until it reports. */
  tryAcquire(): boolean;
  /** The call was answered (a refusal counts: the service is up). Closes the circuit. */
  onSuccess(): void;
  /** The call failed in transit (unavailable, deadline…). Opens the circuit at the threshold, or again after a failed trial. */
  onFailure(): void;
}

/**
 * closed → (failureThreshold consecutive failures) → open → (resetAfterMs) → half-open →
 * one trial: success → closed, failure → open for another resetAfterMs. While open, calls fail at
 * once instead of each waiting for a deadline against a service that is down.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions, clock: ClientClock): CircuitBreaker {
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;
  const current = (): CircuitState => (openedAt === undefined ? "closed" : trialInFlight || clock.now() - openedAt >= options.resetAfterMs ? "half-open" : "open");
  return {
    get state() {
      return current();
    },
    tryAcquire() {
      const state = current();
      if (state === "closed") return true;
      if (state === "open" || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    onSuccess() {
      failures = 0;
      openedAt = undefined;
      trialInFlight = false;
    },
    onFailure() {
      failures++;
      if (trialInFlight || openedAt !== undefined || failures >= options.failureThreshold) {
        openedAt = clock.now();
        trialInFlight = false;
      }
    },
  };
}
