import type { SecretProvider } from "../providers/types.js";
import type { ClientClock } from "./clock.js";

export type ClientMode = "keyward" | "env";

/** PEM text, as a string or its bytes. */
export type Pem = string | Uint8Array;

/** One PEM given either as content or as a file path, never both. */
type PemFrom<Content extends string, File extends string> = ({ [K in Content]: Pem } & { [K in File]?: never }) | ({ [K in File]: string } & { [K in Content]?: never });
type NoneOf<Keys extends string> = { [K in Keys]?: never };

/** A client certificate and its private key for mutual TLS: both or neither. */
export type ClientCertificateOptions = (PemFrom<"cert", "certFile"> & PemFrom<"key", "keyFile">) | NoneOf<"cert" | "certFile" | "key" | "keyFile">;

/**
 * TLS to the service. Each PEM is given as content (`ca`, `cert`, `key`) or as a file path
 * (`caFile`, `certFile`, `keyFile`), not both; files are read when the client is created.
 */
export type SecretsClientTlsOptions = (PemFrom<"ca", "caFile"> | NoneOf<"ca" | "caFile">) &
  ClientCertificateOptions & {
    /**
     * The name the server's certificate must carry, when it is not the host of `url` (e.g. `url`
     * is an IP address or a load balancer); also sent as the TLS SNI and the :authority.
     */
    serverName?: string;
  };

export interface SecretsClientOptions {
  /**
   * Where values come from. "keyward" (default) fetches them from the service over gRPC; "env"
   * reads them from process.env and a .env file, checked by the same schema (local development,
   * and the path away from env vars); a SecretProvider made by an entry point (e.g. `vault({...})`
   * from `@keyward/secrets/vault`) reads another store, with the same cache, validation, retries
   * and circuit breaker. Default: KEYWARD_MODE ("keyward" or "env"), else "keyward".
   */
  provider?: ClientMode | SecretProvider;
  /** @deprecated Use `provider`: "keyward" or "env", as before. */
  mode?: ClientMode;
  /** host:port of the service's gRPC API; default KEYWARD_URL, else 127.0.0.1:50051. */
  url?: string;
  /**
   * TLS to the service: `true` trusts the system's CAs; an object adds a CA (`ca`/`caFile`), a client
   * certificate for mutual TLS (`cert`+`key` or `certFile`+`keyFile`) and a `serverName`; `false`
   * is plaintext. When given, it replaces every KEYWARD_TLS* variable. Default: from KEYWARD_TLS,
   * KEYWARD_TLS_CA_FILE, KEYWARD_TLS_CERT_FILE, KEYWARD_TLS_KEY_FILE, KEYWARD_TLS_SERVER_NAME
   * (any of the last four turns TLS on), else plaintext.
   */
  tls?: boolean | SecretsClientTlsOptions;
  /** The service token; default KEYWARD_TOKEN, else the token file. */
  token?: string;
  /** Where the token lives (created 0600 on first use); default KEYWARD_TOKEN_FILE or .keyward/service-token. */
  tokenFile?: string;
  /** The service's name (required in "keyward" mode); default KEYWARD_SERVICE_NAME. */
  serviceName?: string;
  serviceVersion?: string;
  /**
   * The environment this service runs in, e.g. "production" ("keyward" mode). The token is bound to
   * it when it is registered, and every value it reads is that environment's. Default:
   * KEYWARD_ENVIRONMENT, else the Keyward instance's default environment. A token already bound to
   * another environment is refused (`environment_mismatch`): use one token per environment.
   */
  environment?: string;
  /**
   * The environment to use when neither `environment` nor KEYWARD_ENVIRONMENT states one. The
   * generated `createSecretsClient` in secrets.ts passes the package's configured default
   * (package.json "keyward": { "environment" }) here, so the caller and the variable still win.
   */
  defaultEnvironment?: string;
  /** Deadline of each gRPC call in milliseconds (default 5000). */
  timeoutMs?: number;
  retry?: {
    /** Calls per operation, the first included (default 3; 1 turns retries off). */
    maxAttempts?: number;
    /** Backoff before the first retry is random in [0, baseMs) (default 100), doubling per retry… */
    baseMs?: number;
    /** …up to maxMs (default 2000), which also caps a provider's Retry-After. */
    maxMs?: number;
  };
  /** `false` turns caching (and stale-if-error) off. */
  cache?:
    | false
    | {
        /** How long a value is served from memory (default 60 000 ms). */
        ttlMs?: number;
        /** How long past its TTL a value may still be served while the service is unreachable (default 300 000 ms). */
        maxStaleMs?: number;
        /** A read this close to expiry refreshes the value in the background (default 10 000 ms). */
        refreshAheadMs?: number;
      };
  circuitBreaker?: {
    /** Consecutive failed calls that open the circuit (default 5). */
    failureThreshold?: number;
    /** How long it stays open before a trial call (default 10 000 ms). */
    resetAfterMs?: number;
  };
  /**
   * Keep a WatchSecrets stream open and drop a cached value as soon as it changes on the service
   * (a new version, disabled, or access changed), instead of waiting for its TTL. The TTL still
   * applies while the stream is down. Default false.
   */
  watch?: boolean;
  /**
   * With `watch`: called with a secret's name when it changes on the service (a new value, disabled,
   * or access changed), after the cache has dropped it. Never given the value. `keyward run --watch`
   * uses it to restart its command.
   */
  onChange?: (name: string) => void;
  /** With `watch`: the stream is back after a gap (changes in between were missed); the cache is already stale. */
  onResubscribed?: () => void;
  /** Call register() as soon as the client is created; fetches wait for it (default false). */
  registerOnStart?: boolean;
  /** "env" mode: the .env file to read (default ".env" in the current directory; missing is fine). */
  envFile?: string;
  /** Where KEYWARD_* (and in "env" mode the secrets) are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** For tests: the clock of the cache and the circuit breaker. */
  clock?: ClientClock;
  /** For tests: [0, 1) like Math.random, for the backoff jitter. */
  random?: () => number;
  /** For tests: how the client waits between retries and approval polls. */
  sleep?: (ms: number) => Promise<void>;
}
