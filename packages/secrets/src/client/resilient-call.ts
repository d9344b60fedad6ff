import { backoffDelay, type BackoffOptions } from "./backoff.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { SecretsClientError } from "./errors.js";
import { isRetryable, isServiceFailure } from "./retryable.js";

export interface ResilienceDeps {
  breaker: CircuitBreaker;
  retry: BackoffOptions & { maxAttempts: number };
  /** Who is called, for messages (default "Keyward"). */
  target?: string;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Whether a failure is worth another try; default: by its gRPC code and reason (isRetryable). */
  retryable?: (error: SecretsClientError) => boolean;
  /**
   * The least wait before retrying after this failure (a provider's Retry-After); default 0. It is
   * capped at retry.maxMs, so a provider asking for a day never stalls a call for a day.
   */
  minDelayMs?: (error: SecretsClientError) => number;
}

/** Runs one RPC with the circuit breaker and retries; `what` describes it for error messages. */
export type ResilientCall = <T>(secretName: string | undefined, what: string, attempt: () => Promise<T>) => Promise<T>;

export function createResilientCall(deps: ResilienceDeps): ResilientCall {
  const retryable = deps.retryable ?? ((error: SecretsClientError) => isRetryable(error.grpcCode, error.reason));
  return async (secretName, what, attempt) => {
    for (let retry = 0; ; retry++) {
      if (!deps.breaker.tryAcquire()) {
        throw new SecretsClientError(secretName, "circuit_open", `cannot ${what}: circuit_open: recent calls to ${deps.target ?? "Keyward"} failed, so none is made until the circuit breaker's reset time has passed`);
      }
      try {
        const result = await attempt();
        deps.breaker.onSuccess();
        return result;
      } catch (error) {
        // A refusal is an answer: the service is up. Only failures in transit count against it.
        if (error instanceof SecretsClientError && isServiceFailure(error.reason)) deps.breaker.onFailure();
        else deps.breaker.onSuccess();
        if (!(error instanceof SecretsClientError) || !retryable(error) || retry + 1 >= deps.retry.maxAttempts) throw error;
        const asked = deps.minDelayMs?.(error) ?? 0;
        const least = Number.isFinite(asked) && asked > 0 ? Math.min(asked, deps.retry.maxMs) : 0;
        await deps.sleep(Math.max(backoffDelay(retry, deps.retry, deps.random), least));
      }
    }
  };
}
