import { namingFunction } from "../providers/naming.js";
import type { ProviderFetchResult, SecretProvider } from "../providers/types.js";
import { createSecretCache } from "./cache.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import type { ClientClock } from "./clock.js";
import type { ResilienceConfig } from "./config.js";
import { SecretsClientError } from "./errors.js";
import { unsupportedSigning } from "./signing.js";
import { createFetchCore, type FetchOutcome } from "./fetch-core.js";
import { isProviderCallError, toProviderCallError } from "./provider-errors.js";
import { createRedactor } from "./redactor.js";
import { createResilientCall } from "./resilient-call.js";
import type { ClientHealth, Registration, SecretsClient, SecretsSchemaDoc } from "./types.js";
import { createValueValidator } from "./validate-value.js";

export interface ProviderClientDeps {
  clock: ClientClock;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Refs per provider.fetch call. */
export const PROVIDER_BATCH = 100;

/** An optional secret the provider does not have reads as undefined. */
const ABSENT: ReadonlySet<string> = new Set(["secret_missing"]);

const APPROVED: Registration = { status: "approved" };

/**
 * A client over a SecretProvider (Vault, AWS, …) with the same typed API as the Keyward client and
 * the same machinery: cache with refresh-ahead and stale-if-error, value validation, retries with
 * backoff (a provider's Retry-After is waited at least) and the circuit breaker. There is no
 * registration with a provider: register(), registration() and waitForApproval() resolve "approved".
 */
export function createProviderClient<S extends SecretsSchemaDoc>(schema: S, provider: SecretProvider, config: ResilienceConfig, deps: ProviderClientDeps): SecretsClient<S> {
  const validate = createValueValidator(schema);
  const pathOf = namingFunction(provider.naming);
  const cache = createSecretCache(config.cache, deps.clock);
  const redactor = createRedactor();
  const call = createResilientCall({
    breaker: createCircuitBreaker(config.breaker, deps.clock),
    retry: config.retry,
    random: deps.random,
    sleep: deps.sleep,
    target: provider.kind,
    retryable: (error) => isProviderCallError(error) && error.retryable,
    minDelayMs: (error) => (isProviderCallError(error) ? (error.retryAfterMs ?? 0) : 0),
  });
  let closed = false;
  const closedError = (name?: string) => new SecretsClientError(name, "closed", `cannot fetch ${name ? `secret ${name}` : "secrets"}: the client is closed`);

  /** One provider.fetch with the deadline; its failures become SecretsClientErrors. */
  const attempt = async (refs: { name: string; path: string }[], what: string) => {
    const signal = AbortSignal.timeout(config.timeoutMs);
    try {
      return await provider.fetch(refs, { signal });
    } catch (error) {
      throw toProviderCallError(provider.kind, what, error, signal.aborted);
    }
  };

  const outcome = (name: string, path: string, result: ProviderFetchResult | undefined): FetchOutcome => {
    if (result?.kind === "ok") return { kind: "ok", value: result.value, version: 0 };
    if (result?.kind === "denied") return { kind: "error", error: new SecretsClientError(name, "access_denied", `cannot fetch secret ${name}: access_denied: ${result.message}`) };
    if (result?.kind === "missing") return { kind: "error", error: new SecretsClientError(name, "secret_missing", `cannot fetch secret ${name}: secret_missing: ${provider.kind} has nothing at ${path}`) };
    return { kind: "error", error: new SecretsClientError(name, "internal", `cannot fetch secret ${name}: internal: the ${provider.kind} provider gave no result for it`) };
  };

  const fetchBatch = async (names: string[]): Promise<Map<string, FetchOutcome>> => {
    const refs = names.map((name) => {
      try {
        return { name, path: pathOf(name) };
      } catch (error) {
        throw new SecretsClientError(name, "invalid_config", `cannot fetch secret ${name}: invalid_config: ${(error as Error).message}`);
      }
    });
    const what = names.length === 1 ? `fetch secret ${names[0]} from ${provider.kind}` : `fetch ${names.length} secrets from ${provider.kind}`;
    const results = await call(undefined, what, () => attempt(refs, what));
    return new Map(refs.map((ref) => [ref.name, outcome(ref.name, ref.path, results.get(ref.name))]));
  };

  const core = createFetchCore({
    schema,
    cache,
    redactor,
    validate,
    maxBatch: PROVIDER_BATCH,
    absent: ABSENT,
    isClosed: () => closed,
    closedError,
    ready: Promise.resolve(),
    fetchOne: async (name) => {
      try {
        return (await fetchBatch([name])).get(name)!;
      } catch (error) {
        // A whole-call failure of a one-name call is that name's failure.
        if (error instanceof SecretsClientError && error.secretName === undefined) throw new SecretsClientError(name, error.reason, error.message, error.grpcCode);
        throw error;
      }
    },
    fetchBatch,
  });

  const health = async (): Promise<ClientHealth> => {
    if (closed) return { status: "unavailable", reason: "the client is closed" };
    const signal = AbortSignal.timeout(config.timeoutMs);
    try {
      return await provider.health({ signal });
    } catch (error) {
      return { status: "unavailable", reason: toProviderCallError(provider.kind, `check ${provider.kind}`, error, signal.aborted).message };
    }
  };

  return {
    getSecret: (name) => core.getSecret(name) as never,
    getSecrets: (names?: readonly string[]) => core.getSecrets(names) as never,
    register: async () => "approved",
    registration: async () => APPROVED,
    waitForApproval: async () => APPROVED,
    health,
    sign: () => unsupportedSigning(provider.kind),
    verify: () => unsupportedSigning(provider.kind),
    redact: (text) => redactor.redact(text),
    async close() {
      if (closed) return;
      closed = true;
      cache.clear();
      redactor.clear();
      await provider.close();
    },
  };
}
