import { ENVIRONMENT_NAME_PATTERN } from "../schema/constants.js";
import { generateServiceToken } from "../token/service-token.js";
import type { CacheOptions } from "./cache.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
import { SecretsConfigError } from "./config-error.js";
import type { SecretProvider } from "../providers/types.js";
import type { ClientMode, SecretsClientOptions } from "./options.js";
import { isLoopbackHost } from "../loopback.js";
import { resolveTls, type ResolvedTls } from "./tls.js";

export const DEFAULT_URL = "127.0.0.1:50051";
const TOKEN_SHAPE = /^kws_[A-Za-z0-9_-]{43}$/;
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
const GRPC_SCHEMES = /^(dns|unix|unix-abstract|ipv4|ipv6):/;
const SERVICE_NAME = /^[a-z0-9][a-z0-9._@/-]{0,127}$/;
const ENVIRONMENT_NAME = new RegExp(ENVIRONMENT_NAME_PATTERN);

/** What every fetching client shares: deadlines, retries, the cache and the circuit breaker. */
export interface ResilienceConfig {
  timeoutMs: number;
  retry: { maxAttempts: number; baseMs: number; maxMs: number };
  cache: CacheOptions;
  breaker: CircuitBreakerOptions;
}

export interface RemoteConfig extends ResilienceConfig {
  mode: "keyward";
  url: string;
  /** Undefined: plaintext. */
  tls: ResolvedTls | undefined;
  token: string;
  serviceName: string;
  serviceVersion: string;
  /** The environment the token is for; "" = the instance's default (for a new token) or the token's own. */
  environment: string;
  watch: boolean;
}

export interface EnvConfig {
  mode: "env";
  envFile: string;
}

const PROVIDER_METHODS = ["fetch", "health", "close"] as const;

/**
 * The source of values: options.provider ("keyward", "env" or a SecretProvider), else the
 * deprecated options.mode, else KEYWARD_MODE, else "keyward". Giving provider and mode that
 * disagree is an error rather than a silent choice.
 */
export function resolveProvider(options: SecretsClientOptions, env: NodeJS.ProcessEnv): ClientMode | SecretProvider {
  const { provider, mode } = options;
  if (provider !== undefined && mode !== undefined && provider !== mode) {
    throw new SecretsConfigError("options.mode", `give options.provider or options.mode (deprecated), not both: provider is ${describeProvider(provider)}, mode is ${JSON.stringify(mode)}`);
  }
  if (provider !== undefined && typeof provider === "object" && provider !== null) {
    const missing = PROVIDER_METHODS.filter((m) => typeof (provider as unknown as Record<string, unknown>)[m] !== "function");
    if (typeof provider.kind !== "string" || provider.kind === "") missing.unshift("kind" as never);
    if (missing.length > 0) throw new SecretsConfigError("options.provider", `options.provider is not a SecretProvider: it lacks ${missing.join(", ")} (make one with an entry point such as vault() from @keyward/secrets/vault)`);
    return provider;
  }
  const [value, setting] = provider !== undefined ? [provider, "options.provider"] : mode !== undefined ? [mode, "options.mode"] : [env.KEYWARD_MODE || "keyward", "KEYWARD_MODE"];
  if (value !== "keyward" && value !== "env") {
    throw new SecretsConfigError(setting, setting === "options.provider"
        ? `options.provider must be "keyward", "env" or a SecretProvider (e.g. vault({...}) from @keyward/secrets/vault), got ${JSON.stringify(value)}`
        : `${setting} must be "keyward" or "env", got ${JSON.stringify(value)}`);
  }
  return value;
}

const describeProvider = (provider: unknown) => (typeof provider === "object" && provider !== null ? `a ${String((provider as { kind?: unknown }).kind ?? "custom")} provider` : JSON.stringify(provider));

function number(setting: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new SecretsConfigError(setting, `${setting} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A gRPC target: host:port, [v6]:port, or a grpc-js scheme (dns:, unix:…). */
export function checkUrl(url: string, setting: string): string {
  const trimmed = url.trim();
  if (trimmed === "") throw new SecretsConfigError(setting, `${setting} is empty; set it to the host:port of Keyward's gRPC API, e.g. ${DEFAULT_URL}`);
  if (GRPC_SCHEMES.test(trimmed)) return trimmed;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1];
  if (scheme) throw new SecretsConfigError(setting, `${setting} must be host:port of Keyward's gRPC API (e.g. ${DEFAULT_URL}), not a ${scheme}:// URL`);
  const match = HOST_PORT.exec(trimmed);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new SecretsConfigError(setting, `${setting} must be host:port with a port from 1 to 65535 (e.g. ${DEFAULT_URL}), got ${JSON.stringify(trimmed)}`);
  return trimmed;
}

function checkToken(token: string, setting: string): string {
  // Never echo the token: say only what shape was expected.
  if (!TOKEN_SHAPE.test(token.trim())) throw new SecretsConfigError(setting, `${setting} is not a Keyward service token (kws_ followed by 43 base64url characters)`);
  return token.trim();
}

function resolveToken(options: SecretsClientOptions, env: NodeJS.ProcessEnv): string {
  if (options.token !== undefined && options.tokenFile !== undefined) throw new SecretsConfigError("options.token", "give options.token or options.tokenFile, not both");
  if (options.token !== undefined) return checkToken(options.token, "options.token");
  if (options.tokenFile === undefined && env.KEYWARD_TOKEN && env.KEYWARD_TOKEN_FILE) {
    throw new SecretsConfigError("KEYWARD_TOKEN", "set KEYWARD_TOKEN or KEYWARD_TOKEN_FILE, not both");
  }
  if (options.tokenFile === undefined && env.KEYWARD_TOKEN) return checkToken(env.KEYWARD_TOKEN, "KEYWARD_TOKEN");
  const [file, setting] = options.tokenFile !== undefined ? [options.tokenFile, "options.tokenFile"] : [env.KEYWARD_TOKEN_FILE || undefined, "KEYWARD_TOKEN_FILE"];
  if (file !== undefined && file.trim() === "") throw new SecretsConfigError(setting, `${setting} is empty; give the path of the service's token file`);
  try {
    return generateServiceToken({ file }).token;
  } catch (error) {
    throw new SecretsConfigError(setting, `${setting}: ${(error as Error).message}`);
  }
}

/** options.environment, else KEYWARD_ENVIRONMENT, else options.defaultEnvironment, else "" (the service's default environment). */
function resolveEnvironment(options: SecretsClientOptions, env: NodeJS.ProcessEnv): string {
  const [environment, setting] =
    options.environment !== undefined
      ? [options.environment, "options.environment"]
      : env.KEYWARD_ENVIRONMENT !== undefined && env.KEYWARD_ENVIRONMENT !== ""
        ? [env.KEYWARD_ENVIRONMENT, "KEYWARD_ENVIRONMENT"]
        : options.defaultEnvironment !== undefined
          ? [options.defaultEnvironment, "options.defaultEnvironment"]
          : ["", ""];
  if (setting === "") return "";
  if (!ENVIRONMENT_NAME.test(environment)) {
    throw new SecretsConfigError(setting, `${setting} must be an environment name: a lower-case letter, then lower-case letters, digits and -, up to 63 characters (e.g. production), got ${JSON.stringify(environment)}`);
  }
  return environment;
}

/** options.timeoutMs, retry, cache and circuitBreaker with their defaults; a bad one is a SecretsConfigError naming it. */
export function resolveResilience(options: SecretsClientOptions): ResilienceConfig {
  const cache = options.cache === false ? { ttlMs: 0, maxStaleMs: 0, refreshAheadMs: 0 } : options.cache;
  const ttlMs = number("options.cache.ttlMs", cache?.ttlMs, 60_000, 0);
  const maxMs = number("options.retry.maxMs", options.retry?.maxMs, 2000, 0);
  const baseMs = number("options.retry.baseMs", options.retry?.baseMs, 100, 0);
  if (baseMs > maxMs) throw new SecretsConfigError("options.retry.baseMs", `options.retry.baseMs (${baseMs}) may not exceed options.retry.maxMs (${maxMs})`);
  const refreshAheadMs = number("options.cache.refreshAheadMs", cache?.refreshAheadMs, Math.min(10_000, Math.floor(ttlMs / 2)), 0);
  if (refreshAheadMs > ttlMs) throw new SecretsConfigError("options.cache.refreshAheadMs", `options.cache.refreshAheadMs (${refreshAheadMs}) may not exceed options.cache.ttlMs (${ttlMs})`);
  return {
    timeoutMs: number("options.timeoutMs", options.timeoutMs, 5000, 1),
    retry: { maxAttempts: number("options.retry.maxAttempts", options.retry?.maxAttempts, 3, 1), baseMs, maxMs },
    cache: { ttlMs, maxStaleMs: number("options.cache.maxStaleMs", cache?.maxStaleMs, 300_000, 0), refreshAheadMs },
    breaker: {
      failureThreshold: number("options.circuitBreaker.failureThreshold", options.circuitBreaker?.failureThreshold, 5, 1),
      resetAfterMs: number("options.circuitBreaker.resetAfterMs", options.circuitBreaker?.resetAfterMs, 10_000, 0),
    },
  };
}

/** Options first, then KEYWARD_* variables, then defaults; every bad value is a SecretsConfigError naming its setting. */
export function resolveRemoteConfig(options: SecretsClientOptions, env: NodeJS.ProcessEnv): RemoteConfig {
  const url = options.url !== undefined ? checkUrl(options.url, "options.url") : env.KEYWARD_URL !== undefined ? checkUrl(env.KEYWARD_URL, "KEYWARD_URL") : DEFAULT_URL;
  const [serviceName, nameSetting] = options.serviceName !== undefined ? [options.serviceName, "options.serviceName"] : [env.KEYWARD_SERVICE_NAME, "KEYWARD_SERVICE_NAME"];
  if (!serviceName) throw new SecretsConfigError("options.serviceName", "serviceName is required: pass options.serviceName or set KEYWARD_SERVICE_NAME, e.g. identity-service");
  if (!SERVICE_NAME.test(serviceName)) {
    throw new SecretsConfigError(nameSetting, `${nameSetting} must be lower case letters, digits and . _ @ / -, up to 128 characters (e.g. identity-service), got ${JSON.stringify(serviceName)}`);
  }
  const tls = resolveTls(options, env);
  if (!tls) refuseSilentPlaintext(url, options, env);
  return {
    mode: "keyward",
    url,
    tls,
    token: resolveToken(options, env),
    serviceName,
    serviceVersion: options.serviceVersion ?? "",
    environment: resolveEnvironment(options, env),
    ...resolveResilience(options),
    watch: options.watch ?? false,
  };
}

/** The hosts a gRPC target names (host:port, dns:[//authority/]host[:port], ipv4:/ipv6: lists); none for a unix socket. */
export function targetHosts(url: string): string[] {
  if (/^unix(-abstract)?:/.test(url)) return [];
  const hostOf = (hostPort: string) => {
    const bracketed = /^\[([^\]]+)\]/.exec(hostPort);
    if (bracketed) return bracketed[1]!;
    return hostPort.split(":").length === 2 ? hostPort.split(":")[0]! : hostPort;
  };
  const dns = /^dns:(?:\/\/[^/]*\/)?(.*)$/.exec(url);
  if (dns) return [hostOf(dns[1]!)];
  const list = /^ipv[46]:(.*)$/.exec(url);
  if (list) return list[1]!.split(",").map(hostOf);
  return [hostOf(url)];
}

/**
 * Without TLS the service token travels in clear: to a host that is not this machine, only when TLS
 * was turned off on purpose (`tls: false`, KEYWARD_TLS=0: a sidecar or mesh encrypts the hop), as the
 * service itself listens beyond loopback only with TLS unless told otherwise.
 */
function refuseSilentPlaintext(url: string, options: SecretsClientOptions, env: NodeJS.ProcessEnv): void {
  const chosen = options.tls === false || (options.tls === undefined && /^(0|false)$/i.test(env.KEYWARD_TLS?.trim() ?? ""));
  if (chosen) return;
  const remote = targetHosts(url).find((host) => !isLoopbackHost(host));
  if (remote === undefined) return;
  throw new SecretsConfigError(
    options.tls === undefined ? "KEYWARD_TLS" : "options.tls",
    `the service at ${remote} is not on this machine and no TLS is configured, so the service token would travel in clear: set KEYWARD_TLS_CA_FILE (or options.tls.caFile) to its CA, or KEYWARD_TLS=1 for a publicly trusted certificate; KEYWARD_TLS=0 (or tls: false) sends it in plaintext on purpose, e.g. when a sidecar encrypts the connection`,
  );
}

export function resolveEnvConfig(options: SecretsClientOptions): EnvConfig {
  if (options.envFile !== undefined && options.envFile.trim() === "") throw new SecretsConfigError("options.envFile", "options.envFile is empty; give the path of a .env file or leave it out");
  return { mode: "env", envFile: options.envFile ?? ".env" };
}
