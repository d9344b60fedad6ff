/**
 * The contract between the typed client and a secret store other than Keyward (issue #16). A
 * provider only fetches; the client around it keeps the schema's types, value validation, the
 * cache (and stale-if-error), retries with backoff and the circuit breaker, exactly as for Keyward.
 * A provider never logs, and never puts a value or a credential into an error message.
 */

/** How a provider is doing: `degraded` still serves (e.g. throttled, or a token near its end). */
export interface ProviderHealth {
  status: "healthy" | "degraded" | "unavailable";
  /** Why, in a short secret-free sentence ("vault sealed", "AWS answered 403 AccessDenied"). */
  reason?: string;
}

/** One declared secret as the provider sees it: the schema's name and the provider's own path for it. */
export interface ProviderSecretRef {
  /** The schema's name, e.g. STRIPE_API_KEY. */
  name: string;
  /** The provider's key for it after the naming rule, e.g. "apps/billing/stripe-api-key". */
  path: string;
}

/** What the provider answered for one secret. */
export type ProviderFetchResult =
  | { kind: "ok"; value: string; version?: string }
  /** Nothing at that path (the client maps it to secret_missing; an optional secret reads as undefined). */
  | { kind: "missing" }
  /** The provider refused this one secret (its policy), with a secret-free message. */
  | { kind: "denied"; message: string };

/**
 * Failures of a whole call. `retryable` ones (network, 5xx, throttling) are retried with backoff
 * and count toward the circuit breaker; the others (bad credentials, bad configuration) are not.
 */
export type ProviderErrorReason = "unavailable" | "throttled" | "unauthenticated" | "permission_denied" | "invalid_config" | "internal";

export class ProviderError extends Error {
  override name = "ProviderError";
  readonly retryable: boolean;
  /** A provider's Retry-After, when it sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly reason: ProviderErrorReason,
    message: string,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = reason === "unavailable" || reason === "throttled" || reason === "internal";
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface SecretProvider extends SecretProviderNaming {
  /** "vault", "aws", "azure", "infisical", … (shown in errors and health). */
  readonly kind: string;
  /** Fetches the refs (batched where the provider can); one result per ref name. */
  fetch(refs: readonly ProviderSecretRef[], options: { signal: AbortSignal }): Promise<Map<string, ProviderFetchResult>>;
  /** A cheap authenticated call (or the provider's health endpoint) that says whether fetches would work. */
  health(options: { signal: AbortSignal }): Promise<ProviderHealth>;
  /** Releases connections and forgets credentials. */
  close(): Promise<void>;
}

/**
 * The documented naming rule from schema names to provider paths: a template with `{name}` (the
 * schema name after `case`) and any fixed text, e.g. "apps/billing/{name}" with case "kebab" maps
 * STRIPE_API_KEY to "apps/billing/stripe-api-key"; or a function for anything else.
 */
export type NamingRule = { template?: string; case?: "as-is" | "lower" | "kebab" } | ((name: string) => string);

/**
 * A provider made by an entry point carries its naming rule (the caller's, or the provider's
 * documented default); the client maps each schema name through it to the ProviderSecretRef path.
 * Without one, the path is the schema name as is.
 */
export interface SecretProviderNaming {
  readonly naming?: NamingRule;
}
