import { createCallAuditor, type CallAuditor } from "./audit.js";
import { createReadCache, type ReadCache } from "./cache/read-cache.js";
import { createChangeHub, type ChangeHub } from "@keyward/db";
import type { GrpcDeps } from "./deps.js";
import { createMismatchChecker, type MismatchChecker } from "./description-mismatch.js";
import { createGrpcMetrics, type GrpcMetrics } from "./metrics.js";
import type { ResolvedGrpcOptions } from "./options.js";
import { createRateLimiter, type RateLimiter } from "@keyward/common";
import { createUseCounter, type UseCounter } from "./use-counter.js";

/** What the handlers share for one server: deps plus the per-server machinery built from them. */
export interface GrpcRuntime {
  deps: GrpcDeps;
  options: ResolvedGrpcOptions;
  audit: CallAuditor;
  /** Per token hash. */
  limiter: RateLimiter;
  /** Per client address, for callers not (yet) known by an approved token. */
  peerLimiter: RateLimiter;
  uses: UseCounter;
  mismatches: MismatchChecker;
  /** deps.changes, or one of its own when deps.database is given (change notifications available). */
  hub: ChangeHub | undefined;
  /** Present when the hub is, unless options.cache is false. */
  cache: ReadCache | undefined;
  /** Counts and durations of unary calls: what an operator watches instead of one log line per call. */
  metrics: GrpcMetrics;
  /** Enders of the open WatchSecrets streams, called on shutdown. */
  watchers: Set<() => void>;
  close(): Promise<void>;
}

export async function createGrpcRuntime(deps: GrpcDeps, options: ResolvedGrpcOptions): Promise<GrpcRuntime> {
  const audit = createCallAuditor(deps, { refusalWindowMs: options.refusalAuditWindowMs, foldReadsMs: options.auditFoldReadsMs, foldMaxKeys: options.auditFoldMaxKeys });
  const uses = createUseCounter(deps.db, deps.logger);
  const ownHub = !deps.changes && deps.database ? await createChangeHub(deps.database, deps.logger, { heartbeatMs: options.changesHeartbeatMs }) : undefined;
  const hub = deps.changes ?? ownHub;
  const cache = hub && options.cache !== false ? createReadCache({ maxAgeMs: options.cacheMaxAgeMs, maxEntries: options.cacheMaxEntries }) : undefined;
  // A lost feed turns caching off (every read goes to the database) until it is back.
  const removeCache = hub && cache ? hub.add({ onChange: (e) => cache.onChange(e), onState: (state) => cache.setLive(state === "live") }) : undefined;
  // A shared hub may have lost its feed before this server started.
  if (hub && cache && hub.state !== "live") cache.setLive(false);
  return {
    deps,
    options,
    audit,
    limiter: createRateLimiter({ perSecond: options.rateLimitPerSecond, burst: options.rateLimitBurst }),
    peerLimiter: createRateLimiter({ perSecond: options.peerRateLimitPerSecond, burst: options.peerRateLimitBurst }),
    uses,
    mismatches: createMismatchChecker(deps, audit),
    hub,
    cache,
    metrics: createGrpcMetrics(),
    watchers: new Set(),
    async close() {
      await uses.flush();
      await audit.close();
      removeCache?.();
      await ownHub?.close();
    },
  };
}
