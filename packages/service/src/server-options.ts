import type { ServiceConfig } from "@keyward/common";
import type { GrpcServerOptions } from "@keyward/grpc";
import type { HttpServerOptions, OidcOptions } from "@keyward/http";
import { readCertificateFile, readKeyPair } from "./tls-files.js";

/** The settings that are set; an unset one keeps the server's default. */
const defined = <T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;

/** The gRPC server's options from the validated configuration; TLS files are read and checked here, once. */
export function grpcServerOptions(config: ServiceConfig): GrpcServerOptions {
  const tls = config.grpcTls && {
    ...readKeyPair(config.grpcTls, { cert: "KEYWARD_GRPC_TLS_CERT_FILE", key: "KEYWARD_GRPC_TLS_KEY_FILE" }),
    ...(config.grpcTls.clientCaFile ? { clientCa: readCertificateFile(config.grpcTls.clientCaFile, "KEYWARD_GRPC_TLS_CLIENT_CA_FILE").pem } : {}),
  };
  return {
    host: config.host,
    port: config.grpcPort,
    shutdownGraceMs: config.shutdownTimeoutMs,
    ...(tls ? { tls } : {}),
    ...(config.grpcRateLimitPerSecond ? { rateLimitPerSecond: config.grpcRateLimitPerSecond } : {}),
    ...defined({
      maxPendingRequestsPerService: config.maxPendingRequestsPerService,
      maxPendingTokensPerService: config.maxPendingTokensPerService,
      maxPendingTokensPerPeer: config.maxPendingTokensPerPeer,
      peerRateLimitPerSecond: config.grpcPeerRateLimitPerSecond,
      refusalAuditWindowMs: config.refusalAuditWindowMs,
      auditFoldReadsMs: config.auditFoldReadsMs,
      cacheMaxAgeMs: config.cacheMaxAgeMs,
      cacheMaxEntries: config.cacheMaxEntries,
      changesHeartbeatMs: config.changesHeartbeatMs,
    }),
    ...(config.grpcStrictIdentity ? { strictIdentity: true } : {}),
  };
}

/** The admin HTTP server's options from the validated configuration; HTTPS files are read and checked here, once. */
export function httpServerOptions(config: ServiceConfig): HttpServerOptions {
  return {
    host: config.host,
    port: config.httpPort,
    ...(config.consoleDir ? { consoleDir: config.consoleDir } : {}),
    ...(config.corsOrigins ? { cors: { origins: config.corsOrigins } } : {}),
    ...(config.maxBodyBytes ? { maxBodyBytes: config.maxBodyBytes } : {}),
    // The role map's values were checked against the role names by the environment schema.
    ...(config.oidc ? { oidc: config.oidc as OidcOptions } : {}),
    ...(config.httpTls ? { tls: readKeyPair(config.httpTls, { cert: "KEYWARD_HTTP_TLS_CERT_FILE", key: "KEYWARD_HTTP_TLS_KEY_FILE" }) } : {}),
    ...defined({ rateLimitPerSecond: config.httpRateLimitPerSecond, authFailuresPerMinute: config.httpAuthFailuresPerMinute, maxPendingChangeRequests: config.maxPendingChangeRequests, cacheMaxAgeMs: config.cacheMaxAgeMs }),
  };
}
