import { status } from "@grpc/grpc-js";
import type { SecretsClientReason } from "./reasons.js";

/**
 * Transient failures worth another try. Refusals (PERMISSION_DENIED, NOT_FOUND, UNAUTHENTICATED,
 * INVALID_ARGUMENT…) are answers, and asking again gives the same answer. RESOURCE_EXHAUSTED is
 * retried only as rate limiting (or without a reason): a request that is too large stays too large.
 */
export function isRetryable(code: number | undefined, reason: SecretsClientReason | undefined): boolean {
  switch (code) {
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
    case status.ABORTED:
      return true;
    case status.RESOURCE_EXHAUSTED:
      return reason === undefined || reason === "rate_limited";
    default:
      return false;
  }
}

/** The service is down or failing (not answering a request): these count against the circuit breaker. */
export function isServiceFailure(reason: SecretsClientReason): boolean {
  return reason === "unavailable" || reason === "deadline_exceeded" || reason === "internal";
}

/** A failure that says nothing about the secret itself, so a recent cached value may stand in (stale-if-error). */
export function allowsStale(reason: SecretsClientReason): boolean {
  return isServiceFailure(reason) || reason === "circuit_open" || reason === "rate_limited";
}
