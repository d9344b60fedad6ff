import fs from "node:fs";
import { ADMIN_TOKEN_PREFIX, KeywardError, secretNameProblem, createLogger, generateToken, hashToken, loadServiceConfig, systemClock, type Clock, type Logger, type ServiceConfig } from "@keyward/common";
import { appendAudit, connectDatabase, countAdminKeys, createAdminKey, createSecretStub, migrateToLatest } from "@keyward/db";
import { startGrpcServer } from "@keyward/grpc";
import { startHttpServer } from "@keyward/http";
import { attachCallbacks, type ServiceCallbacks } from "./callbacks.js";
import { builtConsoleDir } from "./console-dir.js";
import { loadKeysFor } from "./keys.js";
import { enforceListenerSecurity, grpcTransport } from "./listener-security.js";
import { grpcServerOptions, httpServerOptions } from "./server-options.js";
import { withTimeout } from "./timeout.js";

export interface StartOptions extends Partial<ServiceConfig> {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
  /** Hooks fired on new access requests, stubs and pending tokens (see ServiceCallbacks). */
  callbacks?: ServiceCallbacks;
  /**
   * Secrets the apps are known to need (e.g. from a combined schema): each one that does not exist
   * yet is created as a stub at start, so an admin can fill it before the first request.
   */
  expectedSecrets?: { name: string; description: string }[];
}

export interface RunningService {
  config: ServiceConfig;
  grpcAddress: string;
  adminUrl: string;
  /** Set only on the very first start: shown once, stored only as a hash. */
  bootstrapToken: string | undefined;
  /**
   * Graceful shutdown: stops accepting calls, lets calls in flight finish (up to
   * `config.shutdownTimeoutMs`, then forces), waits for running callbacks, then closes the database.
   */
  close(): Promise<void>;
}

const OPTION_KEYS = new Set<string>(["env", "logger", "clock", "callbacks", "expectedSecrets"]);

/** Composes db + gRPC + HTTP. With no options it runs embedded PGlite in ./data. */
export async function startSecretsService(options: StartOptions = {}): Promise<RunningService> {
  const env = options.env ?? process.env;
  const defined = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && !OPTION_KEYS.has(k)));
  const config: ServiceConfig = { ...loadServiceConfig(env), ...defined };
  config.consoleDir ??= builtConsoleDir();
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  // Before anything is opened: a non-loopback host without TLS is refused (or warned about, when allowed).
  enforceListenerSecurity(config, logger);
  // TLS files are read and checked now, so a bad one is named before the database is opened.
  const grpcOptions = grpcServerOptions(config);
  const httpOptions = httpServerOptions(config);

  for (const secret of options.expectedSecrets ?? []) {
    const problem = secretNameProblem(secret.name);
    if (problem) throw new KeywardError("invalid_argument", `expectedSecrets: "${secret.name}": ${problem}`, { field: "expectedSecrets" });
  }

  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Closed in reverse order of opening; servers are drained together before callbacks and the database.
  const servers: (() => Promise<void>)[] = [];
  const closers: (() => Promise<void>)[] = [() => database.close()];
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      const drained = await withTimeout(Promise.all(servers.map((close) => close())), config.shutdownTimeoutMs);
      if (!drained) logger.warn({ timeoutMs: config.shutdownTimeoutMs }, "shutdown timed out; closing with calls in flight");
      for (const close of closers.reverse()) await close();
    })());
  try {
    await migrateToLatest(database.db);
    const keys = await loadKeysFor(database.db, { env, dataDir: config.dataDir });
    const envelope = keys.envelope;
    const deps = { db: database.db, envelope, auditKey: keys.auditKey, logger, clock };

    let bootstrapToken: string | undefined;
    if ((await countAdminKeys(database.db)) === 0) {
      bootstrapToken = generateToken(ADMIN_TOKEN_PREFIX);
      const key = await createAdminKey(database.db, { name: "bootstrap", role: "owner", keyHash: hashToken(bootstrapToken), actor: "system", at: clock.now() });
      await appendAudit(database.db, keys.auditKey, { at: clock.now(), actor_type: "system", actor_id: "keyward", action: "admin.bootstrap", target: `admin:${key.id}`, result: "ok" });
    }

    if (options.callbacks) {
      const hooks = await attachCallbacks(database, options.callbacks, logger);
      closers.push(() => hooks.close());
    }
    for (const secret of options.expectedSecrets ?? []) {
      await createSecretStub(database.db, { name: secret.name, description: secret.description, requestedBy: "system:expected", at: clock.now() });
    }
    // With the database handle, gRPC listens for changes: WatchSecrets works and reads are cached.
    const grpc = await startGrpcServer({ ...deps, database }, grpcOptions);
    servers.push(() => grpc.close());
    const http = await startHttpServer(deps, httpOptions);
    servers.push(() => http.close());
    // An IPv6 host goes in brackets in both a gRPC target and a URL.
    const host = config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host;
    const grpcAddress = `${host}:${grpc.port}`;
    const adminUrl = `${config.httpTls ? "https" : "http"}://${host}:${http.port}`;
    logger.info({ grpc: grpcAddress, grpcTransport: grpcTransport(config), admin: adminUrl, database: database.kind, kek: keys.kek.id, kekSource: keys.kekSource }, "keyward started");
    return { config: { ...config, grpcPort: grpc.port, httpPort: http.port }, grpcAddress, adminUrl, bootstrapToken, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
