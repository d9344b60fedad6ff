import type { SecretCache } from "./cache.js";
import { declaredSecret, isOptional, requestedNames } from "./declared.js";
import { SecretsClientError } from "./errors.js";
import type { Redactor } from "./redactor.js";
import { allowsStale } from "./retryable.js";
import { settleByName } from "./settle.js";
import type { SecretsSchemaDoc } from "./types.js";
import type { ValueValidator } from "./validate-value.js";

type Value = string | undefined;

/** What one name of a batch came back as: a value, or a per-name refusal. */
export type FetchOutcome = { kind: "ok"; value: string; version: number } | { kind: "error"; error: SecretsClientError };

export interface FetchCoreDeps {
  schema: SecretsSchemaDoc;
  cache: SecretCache;
  redactor: Redactor;
  validate: ValueValidator;
  /** Names per batch call. */
  maxBatch: number;
  /** Reasons under which an optional secret reads as undefined instead of failing. */
  absent: ReadonlySet<string>;
  isClosed(): boolean;
  closedError(name?: string): SecretsClientError;
  /** Fetches one name (a whole-call failure is thrown as a SecretsClientError). */
  fetchOne(name: string): Promise<FetchOutcome>;
  /** Fetches up to maxBatch names in one call; a whole-call failure is thrown as a SecretsClientError "cannot <what>: <details>". */
  fetchBatch(names: string[]): Promise<Map<string, FetchOutcome>>;
  /** Awaited before every read (e.g. registration on start). */
  ready: Promise<void>;
}

export interface FetchCore {
  getSecret(name: string): Promise<Value>;
  getSecrets(names?: readonly string[]): Promise<Record<string, Value>>;
}

/**
 * What every remote client shares, whatever it fetches from (Keyward over gRPC, or a
 * SecretProvider): the cache with refresh-ahead and stale-if-error, one fetch per name at a time,
 * value validation, batching, and an optional secret that cannot be had reading as undefined.
 */
export function createFetchCore(deps: FetchCoreDeps): FetchCore {
  const { schema, cache, redactor } = deps;
  /** One fetch per name at a time: concurrent reads of a name share it. */
  const inflight = new Map<string, Promise<Value>>();

  /** A fetched value: checked against its rules, then cached and remembered for redact(). */
  const accept = (name: string, value: string, version: number): string => {
    const invalid = deps.validate(name, value);
    if (invalid) {
      cache.delete(name);
      throw invalid;
    }
    if (deps.isClosed()) throw deps.closedError(name);
    cache.set(name, value, version);
    redactor.remember(name, value);
    return value;
  };

  /** What a failed fetch of `name` gives: a cached value if the failure allows it, undefined for an absent optional secret, else the error. */
  const onFailure = (name: string, error: SecretsClientError): Value => {
    const cached = cache.get(name);
    if (cached.kind !== "miss" && allowsStale(error.reason)) return cached.value;
    if (!allowsStale(error.reason)) cache.delete(name);
    if (isOptional(declaredSecret(schema, name)) && deps.absent.has(error.reason)) return undefined;
    throw error;
  };

  const settle = (name: string, outcome: FetchOutcome | undefined): Value => {
    if (!outcome) throw new SecretsClientError(name, "internal", `cannot fetch secret ${name}: the answer has no result for it`);
    return outcome.kind === "ok" ? accept(name, outcome.value, outcome.version) : onFailure(name, outcome.error);
  };

  const track = (name: string, promise: Promise<Value>): Promise<Value> => {
    inflight.set(name, promise);
    // Background refreshes are not awaited by anyone: keep their failures from being unhandled.
    const done = () => {
      if (inflight.get(name) === promise) inflight.delete(name);
    };
    promise.then(done, done);
    return promise;
  };

  const fetchOne = (name: string): Promise<Value> =>
    track(
      name,
      deps.fetchOne(name).then(
        (outcome) => settle(name, outcome),
        (error: unknown) => (error instanceof SecretsClientError ? onFailure(name, error) : Promise.reject(error)),
      ),
    );

  /** One batch call; each name gets its own promise. */
  const fetchBatch = (names: string[]): Promise<Value>[] => {
    const response = deps.fetchBatch(names);
    return names.map((name) =>
      track(
        name,
        response.then(
          (outcomes) => settle(name, outcomes.get(name)),
          (error: unknown) => {
            if (!(error instanceof SecretsClientError)) throw error;
            // "cannot fetch N secrets: <reason>: <details>" becomes this name's own message.
            const detail = error.message.slice(error.message.indexOf(": ") + 2);
            const own = new SecretsClientError(name, error.reason, `cannot fetch secret ${name}: ${detail}`, error.grpcCode);
            return onFailure(name, own);
          },
        ),
      ),
    );
  };

  const fetchMany = (names: string[]): Promise<Value>[] => {
    const byName = new Map<string, Promise<Value>>();
    const missing = names.filter((name) => {
      const running = inflight.get(name);
      if (running) byName.set(name, running);
      return !running;
    });
    for (let i = 0; i < missing.length; i += deps.maxBatch) {
      const chunk = missing.slice(i, i + deps.maxBatch);
      fetchBatch(chunk).forEach((p, j) => byName.set(chunk[j]!, p));
    }
    return names.map((name) => byName.get(name)!);
  };

  return {
    async getSecret(name) {
      declaredSecret(schema, name);
      await deps.ready;
      if (deps.isClosed()) throw deps.closedError(name);
      const cached = cache.get(name);
      if (cached.kind === "fresh") {
        if (cached.refresh && !inflight.has(name)) void fetchOne(name).catch(() => undefined);
        return cached.value;
      }
      return await (inflight.get(name) ?? fetchOne(name));
    },
    async getSecrets(names) {
      const list = requestedNames(schema, names);
      await deps.ready;
      if (deps.isClosed()) throw deps.closedError();
      const result: Record<string, Value> = {};
      const toFetch: string[] = [];
      const toRefresh: string[] = [];
      for (const name of list) {
        const cached = cache.get(name);
        if (cached.kind !== "fresh") toFetch.push(name);
        else {
          result[name] = cached.value;
          if (cached.refresh && !inflight.has(name)) toRefresh.push(name);
        }
      }
      if (toRefresh.length > 0) for (const p of fetchMany(toRefresh)) p.catch(() => undefined);
      if (toFetch.length > 0) Object.assign(result, await settleByName(toFetch, fetchMany(toFetch)));
      // In the order asked for, whichever came from the cache.
      return Object.fromEntries(list.map((name) => [name, result[name]]));
    },
  };
}
