import { auditArchiveSink, auditCheckpointSink, AUDIT_SIGNING_KEY_FILE, stageSigningKey, KeywardError, secretNameProblem, createLogger, loadServiceConfig, misspelledServiceVariables, systemClock, type Clock, type Logger, type ServiceConfig } from "@keyward/common";
import { connectDatabase, consoleLinks, createAuditWriter, createChangeHub, DEFAULT_HEARTBEAT_MS, createSecretStub, getDefaultEnvironment, inAuditedTransaction, migrateToLatest, recordEvent, upgradeValueBindings } from "@keyward/db";
import { startGrpcServer } from "@keyward/grpc";
import { startHttpServer } from "@keyward/http";
import { createNodeSecretTypeRegistry, type SecretTypeDefinition } from "@keyward/secret-types/node";
import { notifyConfigFromEnv, startNotifications } from "@keyward/notify";
import { createArchiveSink } from "@keyward/audit-archive";
import { auditRetentionJob } from "./audit-retention/index.js";
import { changeRequestExpiryJob } from "./change-request-expiry.js";
import { credentialReverifyJob, credentialTesterFromConfig } from "./credential-reverify.js";
import { kekRotationJob } from "./kek-rotation.js";
import { cleanMetadataAtStart } from "./metadata-clean.js";
import { attachCallbacks, type ServiceCallbacks } from "./callbacks.js";
import { createCheckpointSink, startCheckpointWriter, type CheckpointWriter } from "./checkpoints/index.js";
import { bootstrapOwner } from "./bootstrap-owner.js";
import { builtConsoleDir } from "./console-dir.js";
import { listenError, listenerSettingsProblem } from "./listen-errors.js";
import { secureDataDir } from "./data-dir.js";
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
  /**
   * Custom secret types (issue #17), added to the built-in registry with `registerSecretType`: the
   * admin API checks values of these types with their `validate`, e.g.
   * `secretTypes: [{ name: "acme-token", describe: "…", validate: (v) => … }]`.
   */
  secretTypes?: SecretTypeDefinition[];
  /**
   * Where the first start's bootstrap owner token goes: "return" hands it to the caller as
   * `bootstrapToken`; "file" writes it to `<dataDir>/bootstrap-admin-token` (mode 0600) in the
   * transaction that stores its hash, for a start whose output is a log (a container, systemd).
   * Default: KEYWARD_BOOTSTRAP_TOKEN_OUTPUT ("file" → "file", else "return").
   */
  bootstrapToken?: "return" | "file";
}

export interface RunningService {
  config: ServiceConfig;
  grpcAddress: string;
  adminUrl: string;
  /** Set only on the very first start: shown once, stored only as a hash. */
  bootstrapToken: string | undefined;
  /** Set on the very first start with `bootstrapToken: "file"`: the file holding the token. */
  bootstrapTokenFile: string | undefined;
  /**
   * Graceful shutdown: stops accepting calls, lets calls in flight finish (up to
   * `config.shutdownTimeoutMs`, then forces), waits for running callbacks, then closes the database.
   */
  close(): Promise<void>;
}

const OPTION_KEYS = new Set<string>(["env", "logger", "clock", "callbacks", "expectedSecrets", "secretTypes", "bootstrapToken"]);

/** Composes db + gRPC + HTTP. With no options it runs embedded PGlite in ./data. */
export async function startSecretsService(options: StartOptions = {}): Promise<RunningService> {
  const env = options.env ?? process.env;
  // Custom types are checked first: a taken or malformed name fails the start before anything opens.
  const secretTypes = createNodeSecretTypeRegistry({ types: options.secretTypes ?? [] });
  const defined = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && !OPTION_KEYS.has(k)));
  const config: ServiceConfig = { ...loadServiceConfig(env), ...defined };
  // Read before anything listens or opens, so a bad one fails here; the console URL falls back to
  // the admin URL, known once listening.
  const notifySettings = notifyConfigFromEnv(env, "");
  const settingsProblem = listenerSettingsProblem(config);
  if (settingsProblem) throw settingsProblem;
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

  const dataDir = secureDataDir(config.dataDir);
  for (const typo of misspelledServiceVariables(env)) logger.warn({ variable: typo.name, meant: typo.meant }, `${typo.name} is not a Keyward variable and is ignored: did you mean ${typo.meant}?`);
  if (dataDir.tightenedFrom !== undefined) logger.warn({ dir: config.dataDir, was: dataDir.tightenedFrom.toString(8) }, "data directory was open to other users; tightened to mode 700");
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements });
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
    // Values stored before the name binding are re-sealed before anything reads them (reads accept only the new binding).
    const rebound = await upgradeValueBindings(database.db, envelope, { auditKey: keys.auditKey, actor: "keyward", at: () => clock.now() });
    if (rebound.upgraded > 0) logger.info({ resealed: rebound.upgraded }, "re-sealed stored values with the name binding");
    if (rebound.unreadable.length > 0) logger.error({ count: rebound.unreadable.length, versions: rebound.unreadable.slice(0, 100).map((v) => `${v.secret} v${v.version}`) }, "stored values that do not open under their own binding: they stay unreadable until an admin sets them again");
    // Metadata derived by older validators may hold parts of values: derived again with the current types, once per version.
    await cleanMetadataAtStart(database.db, envelope, secretTypes, { auditKey: keys.auditKey, clock, logger });
    // One group-commit audit writer for gRPC and HTTP: one idea of the chain's head per process.
    const auditWriter = createAuditWriter({ db: database.db, auditKey: keys.auditKey });
    closers.push(() => auditWriter.close());
    // One change feed for gRPC (caches, health, WatchSecrets) and HTTP (admin key and environment lookups).
    const changes = await createChangeHub(database, logger, { heartbeatMs: config.changesHeartbeatMs ?? DEFAULT_HEARTBEAT_MS });
    closers.push(() => changes.close());
    const deps = { db: database.db, envelope, auditKey: keys.auditKey, logger, clock, auditWriter, changes };
    const credentialTester = credentialTesterFromConfig(config.credentialTests);
    const systemRow = (action: string, target: string) => ({ at: clock.now(), actor_type: "system", actor_id: "keyward", action, target, result: "ok" });

    if (options.callbacks) {
      const hooks = attachCallbacks(changes, options.callbacks, logger);
      closers.push(() => hooks.close());
    }
    // Expected secrets are stubbed in the default environment (where a client that names none reads).
    const defaultEnvironment = (options.expectedSecrets ?? []).length > 0 ? await getDefaultEnvironment(database.db) : undefined;
    for (const secret of options.expectedSecrets ?? []) {
      await inAuditedTransaction(database.db, keys.auditKey, async (trx, audit) => {
        const stub = await createSecretStub(trx, { environmentId: defaultEnvironment!.id, name: secret.name, description: secret.description, requestedBy: "system:expected", at: clock.now() });
        if (stub.created) {
          audit({ ...systemRow("secret.stub", `secret:${secret.name}`), environment: defaultEnvironment!.name });
          await recordEvent(trx, { type: "secret.stub_created", environment: defaultEnvironment!.name, subject: secret.name, link: consoleLinks.missing(defaultEnvironment!.name), data: { secretName: secret.name, requestedBy: "system:expected" } });
        }
      });
    }
    // Signed checkpoints of the audit log, outside the database (KEYWARD_AUDIT_CHECKPOINT_SINK).
    const loadedSigningKey = stageSigningKey({ env, dataDir: config.dataDir });
    let signingKey = loadedSigningKey.signingKey;
    // A new signing key (first start, or its file gone) is on the record before it is on disk: if the
    // row cannot be written, no unrecorded key is left for the next start to use silently.
    if (loadedSigningKey.source === "generated") {
      try {
        await inAuditedTransaction(database.db, keys.auditKey, async (_trx, audit) => audit({ ...systemRow("audit.signing_key", `audit_signing_key:${signingKey.publicKey}`), reason: `generated ${AUDIT_SIGNING_KEY_FILE} in the data directory` }));
      } catch (error) {
        loadedSigningKey.discard();
        throw error;
      }
      signingKey = loadedSigningKey.publish();
    }
    let checkpointWriter: CheckpointWriter | undefined;
    const sinkTarget = auditCheckpointSink(config);
    if (sinkTarget) {
      const sink = createCheckpointSink(sinkTarget, { token: env.KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN?.trim() || undefined });
      // Written once at start here, then by the `audit-checkpoints` job on the scheduler (one replica at a time).
      checkpointWriter = await startCheckpointWriter({ db: database.db, auditKey: keys.auditKey, signer: signingKey, sink, intervalMs: 0, clock, logger });
      const writer = checkpointWriter;
      closers.push(() => writer.close());
    }
    const checkpoints = { publicKey: signingKey.publicKey, latest: async () => checkpointWriter?.latest() };

    // With the database handle, gRPC listens for changes: WatchSecrets works and reads are cached.
    const grpc = await startGrpcServer({ ...deps, database }, grpcOptions).catch((error: unknown) => {
      throw listenError(error, "gRPC", config.host, config.grpcPort);
    });
    servers.push(() => grpc.close());
    // /readyz also reports the change feed: a replica that lost it may answer behind the others.
    const readiness = () => {
      const feed = grpc.changeFeed();
      return feed === "off" ? {} : { changes: feed === "live" ? ("ok" as const) : ("reconnecting" as const) };
    };
    // A channel's test message links to the console: KEYWARD_PUBLIC_URL, else the admin URL (known once listening).
    let consoleBaseUrl = "";
    const http = await startHttpServer({ ...deps, checkpoints, readiness, moreMetrics: () => grpc.metrics(), consoleBaseUrl: () => consoleBaseUrl, secretTypes, ...(credentialTester ? { credentialTester } : {}) }, httpOptions).catch((error: unknown) => {
      throw listenError(error, "admin API", config.host, config.httpPort);
    });
    servers.push(() => http.close());
    // An IPv6 host goes in brackets in both a gRPC target and a URL.
    const host = config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host;
    const grpcAddress = `${host}:${grpc.port}`;
    const adminUrl = `${config.httpTls ? "https" : "http"}://${host}:${http.port}`;
    // Outbox routing, deliveries, the rotation check and retention (issue #14), and expiring overdue
    // change requests (issue #13): one run per job across replicas.
    const notifyConfig = { ...notifySettings, consoleBaseUrl: notifySettings.consoleBaseUrl || adminUrl };
    consoleBaseUrl = notifyConfig.consoleBaseUrl;
    const jobs = [changeRequestExpiryJob(deps)];
    if (credentialTester) jobs.push(credentialReverifyJob({ ...deps, tester: credentialTester }));
    if (config.kekRotationDays !== undefined) jobs.push(kekRotationJob({ ...deps, master: keys.master }, config.kekRotationDays));
    const writer = checkpointWriter;
    if (writer) jobs.push({ name: "audit-checkpoints", schedule: { everyMs: config.auditCheckpoints.intervalMs }, run: async () => void (await writer.writeNow()) });
    // Audit retention (issue #21): partitions ahead, and archives of the ones past the hot window.
    jobs.push(auditRetentionJob({ ...deps, signer: signingKey, sink: createArchiveSink(auditArchiveSink(config), env) }, config.auditRetention));
    const notifications = await startNotifications(deps, notifyConfig, jobs);
    closers.push(() => notifications.close());
    // Last, once nothing else can fail: a start that failed after creating the owner key would take
    // a token shown to no one with it (the next start finds a key and makes no new one).
    const bootstrap = await bootstrapOwner(database.db, {
      auditKey: keys.auditKey,
      clock,
      logger,
      dataDir: config.dataDir,
      deliver: options.bootstrapToken ?? (config.bootstrapTokenOutput === "file" ? "file" : "return"),
    });
    // The start's checkpoint covers the bootstrap row too.
    if (bootstrap.token !== undefined || bootstrap.file !== undefined) await checkpointWriter?.writeNow();
    logger.info({ grpc: grpcAddress, grpcTransport: grpcTransport(config), admin: adminUrl, database: database.kind, kek: keys.envelope.activeKeyId, kekSource: keys.kekSource, masterKeySource: keys.master.describe() }, "keyward started");
    return {
      config: { ...config, grpcPort: grpc.port, httpPort: http.port },
      grpcAddress,
      adminUrl,
      bootstrapToken: bootstrap.token,
      bootstrapTokenFile: bootstrap.file,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
