import fs from "node:fs";
import path from "node:path";
import { configError, KeywardError, type ServiceConfig } from "@keyward/common";

/**
 * What start can refuse before it opens anything: both listeners on one port, and a console
 * directory that is not there (the HTTP server would fail on it with a bare ENOENT).
 */
export function listenerSettingsProblem(config: ServiceConfig): KeywardError | undefined {
  if (config.grpcPort !== 0 && config.grpcPort === config.httpPort) {
    return configError("KEYWARD_HTTP_PORT", `KEYWARD_GRPC_PORT and KEYWARD_HTTP_PORT are both ${config.grpcPort}: gRPC and the admin API need a port each`);
  }
  if (config.consoleDir !== undefined && !fs.existsSync(path.join(config.consoleDir, "index.html"))) {
    return configError("KEYWARD_CONSOLE_DIR", `KEYWARD_CONSOLE_DIR is ${config.consoleDir}, which has no index.html: point it at a built console (pnpm --filter @keyward/console build) or unset it`);
  }
  return undefined;
}

/** A listener that could not bind, named by its variable instead of a bare EADDRINUSE (or grpc-js's "No address added"). */
export function listenError(error: unknown, which: "gRPC" | "admin API", host: string, port: number): unknown {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const field = which === "gRPC" ? "KEYWARD_GRPC_PORT" : "KEYWARD_HTTP_PORT";
  const listener = which === "gRPC" ? "the gRPC server" : "the admin API";
  if (code === "EADDRINUSE" || /EADDRINUSE|address already in use/i.test(text)) {
    return new KeywardError("config", `${listener} cannot listen on ${host}:${port}: the port is already in use (another Keyward, or another program); set ${field} to a free port or stop what holds it`, { field });
  }
  if (code === "EACCES" || /EACCES|permission denied/i.test(text)) {
    return new KeywardError("config", `${listener} may not listen on ${host}:${port} (ports below 1024 need privileges): set ${field} to 1024 or above`, { field });
  }
  if (code === "EADDRNOTAVAIL" || /EADDRNOTAVAIL|cannot assign requested address/i.test(text)) {
    return new KeywardError("config", `${listener} cannot listen on ${host}: no network interface has that address; check KEYWARD_HOST`, { field: "KEYWARD_HOST" });
  }
  return error;
}
