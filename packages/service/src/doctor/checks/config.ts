import { isKeywardError, loadServiceConfig, type ServiceConfig } from "@keyward/common";
import type { DoctorCheck } from "../types.js";

export function checkConfig(env: NodeJS.ProcessEnv): { check: DoctorCheck; config?: ServiceConfig } {
  try {
    const config = loadServiceConfig(env);
    const storage = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${config.dataDir}`;
    return { config, check: { name: "config", status: "ok", summary: `${storage}; gRPC ${config.host}:${config.grpcPort}, admin HTTP ${config.host}:${config.httpPort}` } };
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    return { check: { name: "config", status: "fail", summary: error.message, fix: "correct the variables named above (run keyward-service help for the list)" } };
  }
}
