import path from "node:path";
import { KeywardError } from "./errors/index.js";

export interface ServiceConfig {
  /** Holds the embedded database, the master key file and the audit key file. */
  dataDir: string;
  /** PostgreSQL connection string; when absent, embedded PGlite in `dataDir/pglite` is used. */
  databaseUrl: string | undefined;
  host: string;
  grpcPort: number;
  httpPort: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export const DEFAULT_GRPC_PORT = 50051;
export const DEFAULT_HTTP_PORT = 8080;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function port(value: string | undefined, variable: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new KeywardError("config", `${variable} must be a port number from 0 to 65535, got "${value}"`, { field: variable });
  }
  return n;
}

/**
 * Reads the service configuration from the environment, with every problem named.
 * Nothing here is required: the defaults run an embedded service in ./data.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServiceConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new KeywardError("config", `DATABASE_URL must start with postgres:// or postgresql://`, { field: "DATABASE_URL" });
  }
  const logLevel = (env.KEYWARD_LOG_LEVEL ?? "info") as ServiceConfig["logLevel"];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new KeywardError("config", `KEYWARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`, { field: "KEYWARD_LOG_LEVEL" });
  }
  return {
    dataDir: path.resolve(cwd, env.KEYWARD_DATA_DIR?.trim() || "data"),
    databaseUrl,
    host: env.KEYWARD_HOST?.trim() || "127.0.0.1",
    grpcPort: port(env.KEYWARD_GRPC_PORT, "KEYWARD_GRPC_PORT", DEFAULT_GRPC_PORT),
    httpPort: port(env.KEYWARD_HTTP_PORT, "KEYWARD_HTTP_PORT", DEFAULT_HTTP_PORT),
    logLevel,
  };
}
