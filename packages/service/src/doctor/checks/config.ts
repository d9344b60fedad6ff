import { assertNever, isKeywardError, loadServiceConfig, misspelledServiceVariables, type ServiceConfig } from "@keyward/common";
import { notifyConfigFromEnv } from "@keyward/notify";
import { listenerSettingsProblem } from "../../listen-errors.js";
import { grpcTransport, insecureListenersError, insecureListenersWarning, listenerSecurity } from "../../listener-security.js";
import { grpcServerOptions, httpServerOptions } from "../../server-options.js";
import type { DoctorCheck } from "../types.js";

function describeListeners(config: ServiceConfig): string {
  return `gRPC ${config.host}:${config.grpcPort} (${grpcTransport(config)}), admin ${config.httpTls ? "HTTPS" : "HTTP"} ${config.host}:${config.httpPort}`;
}

/**
 * The environment as start reads it, the listener rule start enforces, and the TLS files start reads;
 * a variable that looks like a misspelling of one start reads is a warning (start would ignore it).
 */
export function checkConfig(env: NodeJS.ProcessEnv): { check: DoctorCheck; config?: ServiceConfig } {
  const result = checkConfigRead(env);
  const typos = misspelledServiceVariables(env);
  if (typos.length === 0 || result.check.status === "fail") return result;
  const lines = typos.map((t) => `${t.name} is not a Keyward variable and is ignored: did you mean ${t.meant}?`);
  return { ...result, check: { ...result.check, status: "warn", summary: [result.check.summary, ...lines].join("\n"), fix: [result.check.fix, `rename ${typos.map((t) => t.name).join(", ")} (keyward-service help lists the variables)`].filter(Boolean).join("; ") } };
}

function checkConfigRead(env: NodeJS.ProcessEnv): { check: DoctorCheck; config?: ServiceConfig } {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(env);
    // The notification settings, as start reads them (they are @keyward/notify's).
    notifyConfigFromEnv(env, "http://127.0.0.1");
    const problem = listenerSettingsProblem(config);
    if (problem) throw problem;
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    return { check: { name: "config", status: "fail", summary: error.message, fix: "correct the variables named above (run keyward-service help for the list)" } };
  }
  const storage = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${config.dataDir}`;
  const summary = `${storage}; ${describeListeners(config)}`;
  try {
    // Reads and checks the TLS files exactly as start does.
    grpcServerOptions(config);
    httpServerOptions(config);
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    return { config, check: { name: "config", status: "fail", summary: `${summary}\n${error.message}`, fix: `correct ${error.field ?? "the TLS file named above"}: a readable PEM file (keyward-service certs makes development ones)` } };
  }
  const security = listenerSecurity(config);
  switch (security.kind) {
    case "refused":
      return {
        config,
        check: {
          name: "config",
          status: "fail",
          summary: `${summary}\n${insecureListenersError(config.host, security.plaintext).message}`,
          fix: "give both listeners TLS (keyward-service certs --out DIR --host NAME makes development certificates), listen on 127.0.0.1, or set KEYWARD_ALLOW_INSECURE=1 behind a TLS-terminating proxy",
        },
      };
    case "insecure_allowed":
      return {
        config,
        check: {
          name: "config",
          status: "warn",
          summary: `${summary}\n${insecureListenersWarning(config.host, security.plaintext)}`,
          fix: "make sure a TLS-terminating proxy is in front, or give the listeners TLS and unset KEYWARD_ALLOW_INSECURE",
        },
      };
    case "loopback":
    case "tls":
      return { config, check: { name: "config", status: "ok", summary } };
    default:
      return assertNever(security, "listener security");
  }
}
