import { ChangeKind, Reason, TokenStatus, type SecretResult } from "@keyward/proto";
import { createSecretCache } from "./cache.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import type { ClientClock } from "./clock.js";
import type { RemoteConfig } from "./config.js";
import { declaredSecret, isOptional, requestedNames, secretRef } from "./declared.js";
import { SecretsClientError } from "./errors.js";
import { reasonText } from "./reasons.js";
import { createRedactor } from "./redactor.js";
import { createResilientCall } from "./resilient-call.js";
import { allowsStale } from "./retryable.js";
import { settleByName } from "./settle.js";
import { createTransport } from "./transport.js";
import type { Registration, RegistrationStatus, SecretsClient, SecretsSchemaDoc } from "./types.js";
import { createValueValidator } from "./validate-value.js";
import { sleep } from "./sleep.js";
import { waitForApproval } from "./wait-for-approval.js";
import { startWatcher } from "./watcher.js";

/** The service accepts at most this many names per GetSecrets call. */
export const MAX_BATCH = 100;

const registrationStatus: Partial<Record<TokenStatus, RegistrationStatus>> = {
  [TokenStatus.TOKEN_STATUS_PENDING]: "pending",
  [TokenStatus.TOKEN_STATUS_APPROVED]: "approved",
  [TokenStatus.TOKEN_STATUS_REVOKED]: "revoked",
  [TokenStatus.TOKEN_STATUS_EXPIRED]: "expired",
};

export interface RemoteClientDeps {
  clock: ClientClock;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  registerOnStart: boolean;
  /** Told a changed secret's name once the cache has dropped it (the watch option). */
  onChange?: (name: string) => void;
  /** Told when watching resumes after a gap (the watch option). */
  onResubscribed?: () => void;
}

type Value = string | undefined;

/** The "keyward" mode client: gRPC with cache, stale-if-error, refresh-ahead, retries and a circuit breaker. */
/**
 * An optional secret the service cannot have yet reads as undefined: no value, or not granted
 * (the service answers a missing secret that way too, so it cannot tell which names exist;
 * secret_missing is what servers before that sent).
 */
const ABSENT: ReadonlySet<string> = new Set(["access_pending", "secret_missing", "secret_no_value"]);

export function createRemoteClient<S extends SecretsSchemaDoc>(schema: S, config: RemoteConfig, deps: RemoteClientDeps): SecretsClient<S> {
  const validate = createValueValidator(schema);
  const transport = createTransport(config);
  const cache = createSecretCache(config.cache, deps.clock);
  const redactor = createRedactor();
  const call = createResilientCall({ breaker: createCircuitBreaker(config.breaker, deps.clock), retry: config.retry, random: deps.random, sleep: deps.sleep });
  /** One fetch per name at a time: concurrent reads of a name share it. */
  const inflight = new Map<string, Promise<Value>>();
  let closed = false;

  const closedError = (name?: string) => new SecretsClientError(name, "closed", `cannot fetch ${name ? `secret ${name}` : "secrets"}: the client is closed`);

  /** A fetched value: checked against its rules, then cached and remembered for redact(). */
  const accept = (name: string, value: string, version: number): string => {
    const invalid = validate(name, value);
    if (invalid) {
      cache.delete(name);
      throw invalid;
    }
    if (closed) throw closedError(name);
    cache.set(name, value, version);
    redactor.remember(name, value);
    return value;
  };

  /** What a failed fetch of `name` gives: a cached value if the failure allows it, undefined for an absent optional secret, else the error. */
  const onFailure = (name: string, error: SecretsClientError): Value => {
    const cached = cache.get(name);
    if (cached.kind !== "miss" && allowsStale(error.reason)) return cached.value;
    if (!allowsStale(error.reason)) cache.delete(name);
    if (isOptional(declaredSecret(schema, name)) && ABSENT.has(error.reason)) return undefined;
    throw error;
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

  const fetchOne = (name: string): Promise<Value> => {
    const ref = secretRef(schema, name);
    return track(
      name,
      call(name, `fetch secret ${name}`, () => transport.getSecret(ref)).then(
        (res) => accept(name, res.value, res.version),
        (error: unknown) => (error instanceof SecretsClientError ? onFailure(name, error) : Promise.reject(error)),
      ),
    );
  };

  const resultValue = (name: string, result: SecretResult | undefined): Value => {
    if (!result) throw new SecretsClientError(name, "internal", `cannot fetch secret ${name}: the service's answer has no result for it`);
    if (result.reason === Reason.REASON_UNSPECIFIED) return accept(name, result.value, result.version);
    const reason = reasonText(result.reason) ?? "internal";
    return onFailure(name, new SecretsClientError(name, reason, `cannot fetch secret ${name}: ${reason}: ${result.message || "refused"}`));
  };

  /** One GetSecrets call for up to MAX_BATCH names; each name gets its own promise. */
  const fetchBatch = (names: string[]): Promise<Value>[] => {
    const refs = names.map((name) => secretRef(schema, name));
    const response = call(undefined, `fetch ${names.length} secrets`, () => transport.getSecrets(refs));
    return names.map((name) =>
      track(
        name,
        response.then(
          (res) => resultValue(name, res.results.find((r) => r.name === name)),
          (error: unknown) => {
            if (!(error instanceof SecretsClientError)) throw error;
            // "cannot fetch N secrets: <reason>: <details>" becomes this name's own message.
            const detail = error.message.slice(error.message.indexOf(": ") + 2);
            return onFailure(name, new SecretsClientError(name, error.reason, `cannot fetch secret ${name}: ${detail}`, error.grpcCode));
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
    for (let i = 0; i < missing.length; i += MAX_BATCH) {
      const chunk = missing.slice(i, i + MAX_BATCH);
      fetchBatch(chunk).forEach((p, j) => byName.set(chunk[j]!, p));
    }
    return names.map((name) => byName.get(name)!);
  };

  const registration = async (): Promise<Registration> => {
    if (closed) throw closedError();
    const res = await call(undefined, "register the service token", () => transport.registerToken(config.serviceName, config.serviceVersion, config.environment));
    const status = registrationStatus[res.status];
    if (!status) throw new SecretsClientError(undefined, "internal", "the service answered RegisterToken with an unknown token status");
    return res.expiresAt ? { status, expiresAt: res.expiresAt } : { status };
  };
  const register = async (): Promise<RegistrationStatus> => (await registration()).status;
  const declaredNames = Object.keys(schema.properties);
  const watcher = config.watch
    ? startWatcher({
        transport,
        // More names than one request may carry: watch every granted secret instead.
        names: declaredNames.length <= MAX_BATCH ? declaredNames : [],
        // A new version: fetch on the next read, but the old value may still stand in on errors.
        // Disabled or access changed: drop it, so it is never served again without asking.
        onChange: (name, kind) => {
          if (kind === ChangeKind.CHANGE_KIND_VALUE_SET) cache.markStale(name);
          else cache.delete(name);
          deps.onChange?.(name);
        },
        onResubscribed: () => {
          cache.markStale();
          deps.onResubscribed?.();
        },
        onStopped: () => undefined,
        backoff: config.retry,
        random: deps.random,
        // Reconnects really wait, whatever sleep tests inject for retries.
        sleep,
      })
    : undefined;

  // Registration on start is best effort: a failure shows up again on the first fetch.
  const started = deps.registerOnStart ? register().then(() => undefined, () => undefined) : Promise.resolve();

  return {
    async getSecret(name) {
      declaredSecret(schema, name);
      await started;
      if (closed) throw closedError(name);
      const cached = cache.get(name);
      if (cached.kind === "fresh") {
        if (cached.refresh && !inflight.has(name)) void fetchOne(name).catch(() => undefined);
        return cached.value as never;
      }
      return (await (inflight.get(name) ?? fetchOne(name))) as never;
    },
    async getSecrets(names?: readonly string[]) {
      const list = requestedNames(schema, names);
      await started;
      if (closed) throw closedError();
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
      return Object.fromEntries(list.map((name) => [name, result[name]])) as never;
    },
    register,
    registration,
    waitForApproval: (options) => waitForApproval({ register: registration, sleep: deps.sleep, serviceName: config.serviceName }, options),
    redact: (text) => redactor.redact(text),
    async close() {
      closed = true;
      watcher?.stop();
      transport.close();
      cache.clear();
      redactor.clear();
    },
  };
}
