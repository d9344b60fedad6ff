import type { ChannelOptions } from "@grpc/grpc-js";
import { DEFAULT_CACHE_MAX_ENTRIES, KeywardError } from "@keyward/common";
import { DEFAULT_HEARTBEAT_MS } from "@keyward/db";
import { DEFAULT_FOLD_MAX_KEYS } from "./read-fold.js";

/** TLS for the listener; with `clientCa` and `requireClientCert` it is mutual TLS. PEM buffers. */
export interface GrpcTlsOptions {
  cert: Buffer;
  key: Buffer;
  /** CA bundle that client certificates must chain to (mTLS). */
  clientCa?: Buffer;
  /** Refuse clients without a certificate signed by `clientCa` (default: true when clientCa is set). */
  requireClientCert?: boolean;
}

export interface GrpcServerOptions {
  host: string;
  port: number;
  /** Largest request or response message, in bytes (default 64 KiB); larger ones get RESOURCE_EXHAUSTED. */
  maxMessageBytes?: number;
  /** Per token (or per peer address, for calls without a usable token): sustained calls per second (default 1000). */
  rateLimitPerSecond?: number;
  /** Per token: calls allowed in a burst above the sustained rate (default 2 × rateLimitPerSecond). */
  rateLimitBurst?: number;
  tls?: GrpcTlsOptions;
  /** Server pings an idle connection this often (default 2 h, as gRPC's default). */
  keepaliveTimeMs?: number;
  /** ...and closes it if the ping is not answered within this (default 20 s). */
  keepaliveTimeoutMs?: number;
  /** Least interval between client pings that the server accepts (default 10 s); faster clients are sent GOAWAY. */
  minClientPingIntervalMs?: number;
  /** Closes connections idle for this long (default: never). */
  maxConnectionIdleMs?: number;
  /** How long close() waits for calls in flight before cancelling them (default 10 s). */
  shutdownGraceMs?: number;
  /** Caches tokens, grants and decrypted current versions in memory, invalidated by change notifications (default true when deps.database is given). */
  cache?: boolean;
  /** Most access requests one service may have waiting for an admin (default 100); beyond it a new name is refused with request_limit and nothing is recorded. */
  maxPendingRequestsPerService?: number;
  /**
   * Per client address, before a token is known: registrations, and calls whose token is not an
   * approved one held in memory, per second (default 20; bursts of 5 × that). An address that used
   * it up with unknown or malformed tokens is refused (rate_limited) before any database lookup.
   */
  peerRateLimitPerSecond?: number;
  /** Per client address: calls allowed in a burst above the sustained rate (default 5 × peerRateLimitPerSecond). */
  peerRateLimitBurst?: number;
  /** Most tokens of one service name waiting for approval (default 10); more are refused with pending_limit. */
  maxPendingTokensPerService?: number;
  /** Most tokens registered from one address waiting for approval (default 50). */
  maxPendingTokensPerPeer?: number;
  /** Refusals of unauthenticated callers are audited once per address, action and reason per window, then as one counted row (default 60 s). */
  refusalAuditWindowMs?: number;
  /**
   * Opt-in (default 0: off, one audit row per read): identical GetSecret/GetSecrets reads (same
   * token, secret, version(s), result, environment, address) within this many milliseconds (at most
   * 60,000) are folded: the first is written before its value leaves, as always; the repeats become
   * one row with `count` when the window ends. A crash can lose the count of the last window's
   * repeats (never the first read), and repeats carry the window's end as their time. See the README.
   */
  auditFoldReadsMs?: number;
  /** Most kinds of read folded at once (default 10,000); beyond it a read is written one row each. */
  auditFoldMaxKeys?: number;
  /** With mutual TLS: the service name must be one the client certificate names (a DNS SAN, or the SPIFFE ID's path or its last segment), at registration and at every call. */
  strictIdentity?: boolean;
  /** A cached entry is re-read once it is this old, even if no notification came (default 30 s): the staleness bound should a notification be lost. */
  cacheMaxAgeMs?: number;
  /** Most entries each cache (tokens, grants, values) keeps (default 10,000); when full, a new entry evicts the least recently used. Memory grows with it: see the README. */
  cacheMaxEntries?: number;
  /** PostgreSQL: the change listener's heartbeat (default 5 s); a silent listening connection is found dead within twice this. */
  changesHeartbeatMs?: number;
}

export const MAX_MESSAGE_BYTES = 64 * 1024;
export const DEFAULT_CACHE_MAX_AGE_MS = 30_000;
export const DEFAULT_CHANGES_HEARTBEAT_MS = DEFAULT_HEARTBEAT_MS;
export const MAX_AUDIT_FOLD_READS_MS = 60_000;

export type ResolvedGrpcOptions = Required<Omit<GrpcServerOptions, "tls" | "maxConnectionIdleMs" | "cache">> & Pick<GrpcServerOptions, "tls" | "maxConnectionIdleMs" | "cache">;

const int = (name: keyof GrpcServerOptions, value: number | undefined, fallback: number) => Math.floor(positive(name, value, fallback));

const positive = (name: keyof GrpcServerOptions, value: number | undefined, fallback: number): number => {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new KeywardError("invalid_argument", `grpc option ${name} must be a positive number, got ${String(value)}`, { field: name });
  return v;
};

/** A count that is not rounded: 2.5 entries is a mistake to name, not to guess at. */
const wholeNumber = (name: keyof GrpcServerOptions, value: number | undefined, fallback: number): number => {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new KeywardError("invalid_argument", `grpc option ${name} must be a positive integer, got ${String(value)}`, { field: name });
  return v;
};

/** 0 (off) up to MAX_AUDIT_FOLD_READS_MS: a longer window would hold more of the log in memory, and lose more in a crash. */
function foldWindow(value: number | undefined): number {
  const v = value ?? 0;
  if (!Number.isSafeInteger(v) || v < 0 || v > MAX_AUDIT_FOLD_READS_MS) {
    throw new KeywardError("invalid_argument", `grpc option auditFoldReadsMs must be an integer from 0 (off) to ${MAX_AUDIT_FOLD_READS_MS} milliseconds, got ${String(value)}`, { field: "auditFoldReadsMs" });
  }
  return v;
}

function strictIdentity(options: GrpcServerOptions): boolean {
  if (!options.strictIdentity) return false;
  if (!options.tls?.clientCa) throw new KeywardError("invalid_argument", "grpc option strictIdentity needs mutual TLS: give tls.clientCa", { field: "strictIdentity" });
  return true;
}

/** Fills defaults and names the first bad option. */
export function resolveGrpcOptions(options: GrpcServerOptions): ResolvedGrpcOptions {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new KeywardError("invalid_argument", `grpc option port must be an integer from 0 to 65535, got ${String(options.port)}`, { field: "port" });
  }
  const rate = positive("rateLimitPerSecond", options.rateLimitPerSecond, 1000);
  return {
    ...options,
    maxMessageBytes: Math.floor(positive("maxMessageBytes", options.maxMessageBytes, MAX_MESSAGE_BYTES)),
    rateLimitPerSecond: rate,
    rateLimitBurst: positive("rateLimitBurst", options.rateLimitBurst, 2 * rate),
    keepaliveTimeMs: positive("keepaliveTimeMs", options.keepaliveTimeMs, 2 * 60 * 60 * 1000),
    keepaliveTimeoutMs: positive("keepaliveTimeoutMs", options.keepaliveTimeoutMs, 20_000),
    minClientPingIntervalMs: positive("minClientPingIntervalMs", options.minClientPingIntervalMs, 10_000),
    maxConnectionIdleMs: options.maxConnectionIdleMs === undefined ? undefined : positive("maxConnectionIdleMs", options.maxConnectionIdleMs, 0),
    shutdownGraceMs: positive("shutdownGraceMs", options.shutdownGraceMs, 10_000),
    maxPendingRequestsPerService: int("maxPendingRequestsPerService", options.maxPendingRequestsPerService, 100),
    peerRateLimitPerSecond: positive("peerRateLimitPerSecond", options.peerRateLimitPerSecond, 20),
    peerRateLimitBurst: positive("peerRateLimitBurst", options.peerRateLimitBurst, 5 * positive("peerRateLimitPerSecond", options.peerRateLimitPerSecond, 20)),
    maxPendingTokensPerService: int("maxPendingTokensPerService", options.maxPendingTokensPerService, 10),
    maxPendingTokensPerPeer: int("maxPendingTokensPerPeer", options.maxPendingTokensPerPeer, 50),
    refusalAuditWindowMs: positive("refusalAuditWindowMs", options.refusalAuditWindowMs, 60_000),
    auditFoldReadsMs: foldWindow(options.auditFoldReadsMs),
    auditFoldMaxKeys: wholeNumber("auditFoldMaxKeys", options.auditFoldMaxKeys, DEFAULT_FOLD_MAX_KEYS),
    strictIdentity: strictIdentity(options),
    cacheMaxAgeMs: positive("cacheMaxAgeMs", options.cacheMaxAgeMs, DEFAULT_CACHE_MAX_AGE_MS),
    cacheMaxEntries: wholeNumber("cacheMaxEntries", options.cacheMaxEntries, DEFAULT_CACHE_MAX_ENTRIES),
    changesHeartbeatMs: positive("changesHeartbeatMs", options.changesHeartbeatMs, DEFAULT_CHANGES_HEARTBEAT_MS),
  };
}

/** The grpc-js channel options for resolved server options. */
export function serverChannelOptions(options: ResolvedGrpcOptions): ChannelOptions {
  return {
    "grpc.max_receive_message_length": options.maxMessageBytes,
    "grpc.max_send_message_length": options.maxMessageBytes,
    "grpc.keepalive_time_ms": options.keepaliveTimeMs,
    "grpc.keepalive_timeout_ms": options.keepaliveTimeoutMs,
    "grpc.http2.min_ping_interval_without_data_ms": options.minClientPingIntervalMs,
    ...(options.maxConnectionIdleMs === undefined ? {} : { "grpc.max_connection_idle_ms": options.maxConnectionIdleMs }),
    // Keyward serves no channelz service, so nothing could read what grpc-js would track per call
    // (a few percent of what a GetSecret allocated; issue #18).
    "grpc.enable_channelz": 0,
  };
}
