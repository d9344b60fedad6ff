import { backoffDelay, type BackoffOptions } from "./backoff.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { SecretsClientError } from "./errors.js";
import { isRetryable, isServiceFailure } from "./retryable.js";

export interface ResilienceDeps {
  breaker: CircuitBreaker;
  retry: BackoffOptions & { maxAttempts: number };
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Runs one RPC with the circuit breaker and retries; `what` describes it for error messages. */
export type ResilientCall = <T>(secretName: string | undefined, what: string, attempt: () => Promise<T>) => Promise<T>;

export function createResilientCall(deps: ResilienceDeps): ResilientCall {
  return async (secretName, what, attempt) => {
    for (let retry = 0; ; retry++) {
      if (!deps.breaker.tryAcquire()) {
        throw new SecretsClientError(secretName, "circuit_open", `cannot ${what}: circuit_open: recent calls to Keyward failed, so none is made until the circuit breaker's reset time has passed`);
      }
      try {
        const result = await attempt();
        deps.breaker.onSuccess();
        return result;
      } catch (error) {
        // A refusal is an answer: the service is up. Only failures in transit count against it.
        if (error instanceof SecretsClientError && isServiceFailure(error.reason)) deps.breaker.onFailure();
        else deps.breaker.onSuccess();
        if (!(error instanceof SecretsClientError) || !isRetryable(error.grpcCode, error.reason) || retry + 1 >= deps.retry.maxAttempts) throw error;
        await deps.sleep(backoffDelay(retry, deps.retry, deps.random));
      }
    }
  };
}
