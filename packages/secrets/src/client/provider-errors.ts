import type { ProviderError, ProviderErrorReason } from "../providers/types.js";
import { SecretsClientError } from "./errors.js";
import type { SecretsClientReason } from "./reasons.js";

const REASONS: Record<ProviderErrorReason, SecretsClientReason> = {
  unavailable: "unavailable",
  throttled: "rate_limited",
  unauthenticated: "unauthenticated",
  permission_denied: "access_denied",
  invalid_config: "invalid_config",
  internal: "internal",
};

/**
 * A ProviderError by shape rather than by class: an app may load the entry points from both the
 * ESM and the CJS build, each with its own copy of the class.
 */
export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof Error && error.name === "ProviderError" && typeof (error as ProviderError).reason === "string" && Object.hasOwn(REASONS, (error as ProviderError).reason);
}

/** A provider call's failure as the client reports it, with whether to retry and how long to wait at least. */
export interface ProviderCallError extends SecretsClientError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
}

class ProviderCallFailure extends SecretsClientError implements ProviderCallError {
  constructor(
    reason: SecretsClientReason,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | undefined,
  ) {
    super(undefined, reason, message);
  }
}

export const isProviderCallError = (error: SecretsClientError): error is ProviderCallError => error instanceof ProviderCallFailure;

/**
 * "cannot <what>: <reason>: <provider's message>". The provider's message is secret-free by the
 * SecretProvider contract; anything else thrown is reported by its name only, since its message
 * is not under that contract.
 */
export function toProviderCallError(kind: string, what: string, error: unknown, timedOut: boolean): SecretsClientError {
  if (timedOut) return new ProviderCallFailure("deadline_exceeded", `cannot ${what}: deadline_exceeded: ${kind} did not answer in time`, true, undefined);
  if (isProviderError(error)) return new ProviderCallFailure(REASONS[error.reason], `cannot ${what}: ${REASONS[error.reason]}: ${error.message}`, error.retryable, error.retryAfterMs);
  const name = error instanceof Error ? error.name : typeof error;
  return new ProviderCallFailure("internal", `cannot ${what}: internal: the ${kind} provider failed with ${name}`, false, undefined);
}
