// Keyward's gRPC server as the benchmarks run it: logs to a sink at info level, as in production
// (one line per call), and the rate limit lifted so a benchmark measures the path, not the limiter.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { createLogger, systemClock, type Envelope, type Logger } from "@keyward/common";
import type { KeywardDatabase } from "@keyward/db";
import { startGrpcServer, type GrpcServerOptions, type RunningGrpcServer } from "@keyward/grpc";

/** A logger that formats every line and throws it away. */
export const sinkLogger = (level: "info" | "error" = "info"): Logger => createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }), level });

/**
 * Starts Keyward's gRPC server on a loopback port, with change notifications (so caches) from `kdb`.
 * `auditKey` defaults to a random one; pass the key rows were seeded with to verify them together.
 */
export function startBenchGrpcServer(kdb: KeywardDatabase, envelope: Envelope, options: Partial<GrpcServerOptions> = {}, deps: { auditKey?: Uint8Array } = {}): Promise<RunningGrpcServer> {
  return startGrpcServer({ db: kdb.db, envelope, auditKey: deps.auditKey ?? randomBytes(32), logger: sinkLogger(), clock: systemClock, database: kdb }, { host: "127.0.0.1", port: 0, rateLimitPerSecond: 1e9, ...options });
}
