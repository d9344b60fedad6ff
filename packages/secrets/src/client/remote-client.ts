import { ChangeKind, Reason, TokenStatus, type SecretResult } from "@keyward/proto";
import { createSecretCache } from "./cache.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import type { ClientClock } from "./clock.js";
import type { RemoteConfig } from "./config.js";
import { secretRef } from "./declared.js";
import { SecretsClientError } from "./errors.js";
import { createFetchCore, type FetchOutcome } from "./fetch-core.js";
import { reasonText } from "./reasons.js";
import { createRedactor } from "./redactor.js";
import { createResilientCall } from "./resilient-call.js";
import { createTransport } from "./transport.js";
import type { Registration, RegistrationStatus, SecretsClient, SecretsSchemaDoc } from "./types.js";
import { createValueValidator } from "./validate-value.js";
import { sleep } from "./sleep.js";
import { waitForApproval } from "./wait-for-approval.js";
import { startWatcher } from "./watcher.js";
import { keywardHealth } from "./keyward-health.js";
import { createSigning } from "./signing.js";

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

/**
 * An optional secret the service cannot have yet reads as undefined: no value, or not granted
 * (the service answers a missing secret that way too, so it cannot tell which names exist;
 * secret_missing is what servers before that sent).
 */
const ABSENT: ReadonlySet<string> = new Set(["access_pending", "secret_missing", "secret_no_value"]);

/** The "keyward" mode client: gRPC with cache, stale-if-error, refresh-ahead, retries and a circuit breaker. */
export function createRemoteClient<S extends SecretsSchemaDoc>(schema: S, config: RemoteConfig, deps: RemoteClientDeps): SecretsClient<S> {
  const validate = createValueValidator(schema);
  const transport = createTransport(config);
  const cache = createSecretCache(config.cache, deps.clock);
  const redactor = createRedactor();
  const call = createResilientCall({ breaker: createCircuitBreaker(config.breaker, deps.clock), retry: config.retry, random: deps.random, sleep: deps.sleep });
  let closed = false;

  const closedError = (name?: string) => new SecretsClientError(name, "closed", `cannot fetch ${name ? `secret ${name}` : "secrets"}: the client is closed`);

  const outcome = (name: string, result: SecretResult): FetchOutcome => {
    if (result.reason === Reason.REASON_UNSPECIFIED) return { kind: "ok", value: result.value, version: result.version };
    const reason = reasonText(result.reason) ?? "internal";
    return { kind: "error", error: new SecretsClientError(name, reason, `cannot fetch secret ${name}: ${reason}: ${result.message || "refused"}`) };
  };

  const registration = async (): Promise<Registration> => {
    if (closed) throw closedError();
    const res = await call(undefined, "register the service token", () => transport.registerToken(config.serviceName, config.serviceVersion, config.environment));
    const status = registrationStatus[res.status];
    if (!status) throw new SecretsClientError(undefined, "internal", "the service answered RegisterToken with an unknown token status");
    return res.expiresAt ? { status, expiresAt: res.expiresAt } : { status };
  };
  const register = async (): Promise<RegistrationStatus> => (await registration()).status;
  // Registration on start is best effort: a failure shows up again on the first fetch.
  const started = deps.registerOnStart ? register().then(() => undefined, () => undefined) : Promise.resolve();

  const core = createFetchCore({
    schema,
    cache,
    redactor,
    validate,
    maxBatch: MAX_BATCH,
    absent: ABSENT,
    isClosed: () => closed,
    closedError,
    ready: started,
    fetchOne: async (name) => {
      const res = await call(name, `fetch secret ${name}`, () => transport.getSecret(secretRef(schema, name)));
      return { kind: "ok", value: res.value, version: res.version };
    },
    fetchBatch: async (names) => {
      const refs = names.map((name) => secretRef(schema, name));
      const res = await call(undefined, `fetch ${names.length} secrets`, () => transport.getSecrets(refs));
      return new Map(res.results.filter((r) => names.includes(r.name)).map((r) => [r.name, outcome(r.name, r)]));
    },
  });

  const signing = createSigning({ transport, call, isClosed: () => closed });

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

  return {
    getSecret: (name) => core.getSecret(name) as never,
    getSecrets: (names?: readonly string[]) => core.getSecrets(names) as never,
    register,
    registration,
    waitForApproval: (options) => waitForApproval({ register: registration, sleep: deps.sleep, serviceName: config.serviceName }, options),
    health: () => (closed ? Promise.resolve({ status: "unavailable", reason: "the client is closed" }) : keywardHealth(transport, config)),
    ...signing,
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
