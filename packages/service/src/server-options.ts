import fs from "node:fs";
import { KeywardError, type ServiceConfig } from "@keyward/common";
import type { GrpcServerOptions } from "@keyward/grpc";
import type { HttpOptions, OidcOptions } from "@keyward/http";

function readPem(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new KeywardError("config", `${variable} points at ${file}, which cannot be read (${code}): check the path and that the service may read it`, { field: variable });
  }
}

/** The gRPC server's options from the validated configuration; TLS files are read here, once. */
export function grpcServerOptions(config: ServiceConfig): GrpcServerOptions {
  const tls = config.grpcTls && {
    cert: readPem(config.grpcTls.certFile, "KEYWARD_GRPC_TLS_CERT_FILE"),
    key: readPem(config.grpcTls.keyFile, "KEYWARD_GRPC_TLS_KEY_FILE"),
    ...(config.grpcTls.clientCaFile ? { clientCa: readPem(config.grpcTls.clientCaFile, "KEYWARD_GRPC_TLS_CLIENT_CA_FILE") } : {}),
  };
  return {
    host: config.host,
    port: config.grpcPort,
    shutdownGraceMs: config.shutdownTimeoutMs,
    ...(tls ? { tls } : {}),
    ...(config.grpcRateLimitPerSecond ? { rateLimitPerSecond: config.grpcRateLimitPerSecond } : {}),
    ...(config.maxPendingRequestsPerService ? { maxPendingRequestsPerService: config.maxPendingRequestsPerService } : {}),
  };
}

/** The admin HTTP server's options from the validated configuration. */
export function httpServerOptions(config: ServiceConfig): HttpOptions & { host: string; port: number; consoleDir?: string } {
  return {
    host: config.host,
    port: config.httpPort,
    ...(config.consoleDir ? { consoleDir: config.consoleDir } : {}),
    ...(config.corsOrigins ? { cors: { origins: config.corsOrigins } } : {}),
    ...(config.maxBodyBytes ? { maxBodyBytes: config.maxBodyBytes } : {}),
    // The role map's values were checked against the role names by the environment schema.
    ...(config.oidc ? { oidc: config.oidc as OidcOptions } : {}),
  };
}
