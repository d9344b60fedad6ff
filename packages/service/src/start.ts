import fs from "node:fs";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, loadServiceConfig, systemClock, type Clock, type Logger, type ServiceConfig } from "@keyward/common";
import { connectDatabase, countAdminKeys, createAdminKey, migrateToLatest, appendAudit } from "@keyward/db";
import { startGrpcServer } from "@keyward/grpc";
import { startHttpServer } from "@keyward/http";
import { loadKeysFor } from "./keys.js";

export interface StartOptions extends Partial<ServiceConfig> {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningService {
  config: ServiceConfig;
  grpcAddress: string;
  adminUrl: string;
  /** Set only on the very first start: shown once, stored only as a hash. */
  bootstrapToken: string | undefined;
  close(): Promise<void>;
}

/** Composes db + gRPC + HTTP. With no options it runs embedded PGlite in ./data. */
export async function startSecretsService(options: StartOptions = {}): Promise<RunningService> {
  const env = options.env ?? process.env;
  const defined = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && !["env", "logger", "clock"].includes(k)));
  const config: ServiceConfig = { ...loadServiceConfig(env), ...defined };
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;

  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const closers: (() => Promise<void>)[] = [() => database.close()];
  const closeAll = async () => {
    for (const close of closers.reverse().splice(0)) await close();
  };
  try {
    await migrateToLatest(database.db);
    const keys = await loadKeysFor(database.db, { env, dataDir: config.dataDir });
    const envelope = createEnvelope({ active: keys.kek });
    const deps = { db: database.db, envelope, auditKey: keys.auditKey, logger, clock };

    let bootstrapToken: string | undefined;
    if ((await countAdminKeys(database.db)) === 0) {
      bootstrapToken = generateToken(ADMIN_TOKEN_PREFIX);
      const key = await createAdminKey(database.db, { name: "bootstrap", role: "owner", keyHash: hashToken(bootstrapToken), actor: "system", at: clock.now() });
      await appendAudit(database.db, keys.auditKey, { at: clock.now(), actor_type: "system", actor_id: "keyward", action: "admin.bootstrap", target: `admin:${key.id}`, result: "ok" });
    }

    const grpc = await startGrpcServer(deps, { host: config.host, port: config.grpcPort });
    closers.push(() => grpc.close());
    const http = await startHttpServer(deps, { host: config.host, port: config.httpPort });
    closers.push(() => http.close());
    const grpcAddress = `${config.host}:${grpc.port}`;
    const adminUrl = `http://${config.host}:${http.port}`;
    logger.info({ grpc: grpcAddress, admin: adminUrl, database: database.kind, kek: keys.kek.id, kekSource: keys.kekSource }, "keyward started");
    return { config: { ...config, grpcPort: grpc.port, httpPort: http.port }, grpcAddress, adminUrl, bootstrapToken, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
