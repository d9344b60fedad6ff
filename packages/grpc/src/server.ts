import { Server } from "@grpc/grpc-js";
import { SecretsServiceService } from "@keyward/proto";
import type { ChangeFeedState } from "@keyward/db";
import type { GrpcDeps } from "./deps.js";
import { routeGrpcJsLogs } from "./grpc-js-logs.js";
import { getSecretHandler } from "./handlers/get-secret.js";
import { getSecretsHandler } from "./handlers/get-secrets.js";
import { registerTokenHandler } from "./handlers/register-token.js";
import { signHandler } from "./handlers/sign.js";
import { verifyHandler } from "./handlers/verify.js";
import { watchSecretsHandler } from "./handlers/watch-secrets.js";
import { addHealthService } from "./health.js";
import { renderAuditMetrics } from "./metrics.js";
import { resolveGrpcOptions, serverChannelOptions, type GrpcServerOptions } from "./options.js";
import { addReflectionService } from "./reflection.js";
import { createGrpcRuntime, type GrpcRuntime } from "./runtime.js";
import { serverCredentials } from "./tls.js";
import { unreadableRequestInterceptor, withTolerantDecoding } from "./unreadable-request.js";

export { MAX_MESSAGE_BYTES, type GrpcServerOptions, type GrpcTlsOptions } from "./options.js";

export type { ChangeFeedState } from "@keyward/db";
/** The change feed behind the caches and WatchSecrets; "off" when started without deps.database. */
export type ChangeFeedStatus = ChangeFeedState | "off";

export interface RunningGrpcServer {
  port: number;
  /**
   * "reconnecting" while the change notifications are lost (caches off, grpc.health.v1
   * NOT_SERVING, watches refused), for a readiness probe.
   */
  changeFeed(): ChangeFeedStatus;
  /** The unary calls' counts and durations by method and code, and the reads the audit folded (keyward_audit_folded_reads_total), in Prometheus text format. */
  metrics(): string;
  /** How many entries each read cache holds now (each at most cacheMaxEntries); undefined when caching is off. For metrics and memory measurements. */
  cacheSizes(): { tokens: number; grants: number; values: number } | undefined;
  /** Stops accepting calls, ends WatchSecrets streams, waits for calls in flight (up to shutdownGraceMs), then flushes. */
  close(): Promise<void>;
}

/** The grpc-js server with the secrets, health and reflection services on it (not yet bound). */
function createGrpcServer(rt: GrpcRuntime): { server: Server; health: ReturnType<typeof addHealthService> } {
  // The interceptor must be the first (innermost): it answers requests too large or undecodable to
  // reach a handler with a reason trailer and an audit row (see unreadable-request.ts).
  const server = new Server({ ...serverChannelOptions(rt.options), interceptors: [unreadableRequestInterceptor(rt)] });
  server.addService(withTolerantDecoding(SecretsServiceService), {
    getSecret: getSecretHandler(rt),
    getSecrets: getSecretsHandler(rt),
    registerToken: registerTokenHandler(rt),
    watchSecrets: watchSecretsHandler(rt),
    sign: signHandler(rt),
    verify: verifyHandler(rt),
  });
  const health = addHealthService(server);
  addReflectionService(server);
  return { server, health };
}

/** Binds on host:port (0 picks a free port) and returns the bound port and a graceful close. */
export async function startGrpcServer(deps: GrpcDeps, options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const resolved = resolveGrpcOptions(options);
  const rt = await createGrpcRuntime(deps, resolved);
  const { server, health } = createGrpcServer(rt);
  const unrouteLogs = routeGrpcJsLogs(deps.logger);
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${resolved.host}:${resolved.port}`, serverCredentials(resolved.tls), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  } catch (error) {
    server.forceShutdown();
    unrouteLogs();
    await rt.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  // Not serving while change notifications are lost: this replica's answers may lag other replicas'.
  const servingFor = (state: ChangeFeedState) => health.set(state === "live" ? "SERVING" : "NOT_SERVING");
  const removeHealth = rt.hub?.add({ onChange: () => undefined, onState: servingFor });
  if (rt.hub) servingFor(rt.hub.state);
  const close = async () => {
    removeHealth?.();
    health.set("NOT_SERVING");
    // Streams never end by themselves; end them so the drain below can finish.
    health.endWatches();
    for (const stop of [...rt.watchers]) stop();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.forceShutdown(), resolved.shutdownGraceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    unrouteLogs();
    await rt.close();
  };
  const cacheSizes = () => rt.cache && { tokens: rt.cache.tokens.size, grants: rt.cache.grants.size, values: rt.cache.values.size };
  return { port, changeFeed: () => rt.hub?.state ?? "off", metrics: () => rt.metrics.render() + renderAuditMetrics(rt.audit.foldedReads()), cacheSizes, close: () => (closing ??= close()) };
}
