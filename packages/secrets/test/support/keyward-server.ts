// A real Keyward gRPC server for client tests: @keyward/grpc over a cloned, migrated PGlite, on
// loopback. It can be stopped and started again on the same port to test recovery.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { createEnvelope, createLogger, hashToken, kekFromKey, systemClock, type Clock } from "@keyward/common";
import {
  createSecretStub,
  createSigningKey,
  decideAccessRequest,
  decideServiceToken,
  ensureAccessRequest,
  getDefaultEnvironment,
  getEnvironmentByName,
  getServiceTokenByHash,
  rotateSigningKey,
  setSecretValue,
  type KeywardDatabase,
} from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { startGrpcServer, type GrpcTlsOptions, type RunningGrpcServer } from "@keyward/grpc";

const freshPglite = createPgliteTemplate();

export interface KeywardTestServer {
  kdb: KeywardDatabase;
  /** host:port, the same across restarts. */
  readonly address: string;
  readonly running: boolean;
  /** Everything the server logged, to assert that no value or token leaks. */
  logs(): string;
  stop(): Promise<void>;
  /** Starts again on the same port. */
  start(): Promise<void>;
  /** Approves the registered token of `token` as an admin would. */
  approveToken(token: string): Promise<void>;
  revokeToken(token: string): Promise<void>;
  /** Approves the token (again) with this expiry, as an admin extending it would; null clears it. */
  setTokenExpiry(token: string, expiresAt: Date | null): Promise<void>;
  /** Creates the secret if needed and sets a new value (a new version), in `environment` (default: the default one). */
  setValue(name: string, value: string, environment?: string): Promise<void>;
  /** Grants (or revokes) `serviceName` access to `name`, creating the request if needed, in `environment` (default: the default one). */
  setAccess(name: string, serviceName: string, decision: "grant" | "revoke" | "deny", environment?: string): Promise<void>;
  /** Creates a named signing key (issue #16) in the default environment, as an admin would. */
  createSigningKey(name: string, algorithm: "hmac-sha256" | "ed25519"): Promise<void>;
  /** Rotates a signing key: a new version becomes current. */
  rotateSigningKey(name: string): Promise<void>;
  /** How many secret reads the service has audited (each GetSecret, and each name of a GetSecrets). */
  auditedReads(): Promise<number>;
  close(): Promise<void>;
}

/**
 * `clock`: the server's clock (default the system clock), for tests that move time past a token's expiry.
 * `tls`: serve TLS (mutual TLS with a `clientCa`).
 */
export async function startKeywardServer(options: { rateLimitPerSecond?: number; clock?: Clock; tls?: GrpcTlsOptions } = {}): Promise<KeywardTestServer> {
  const { clock = systemClock, ...grpcOptions } = options;
  const kdb = await freshPglite();
  const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
  const auditKey = randomBytes(32);
  let logText = "";
  const logger = createLogger({ destination: new Writable({ write: (chunk, _enc, cb) => ((logText += chunk.toString()), cb()) }), level: "debug" });
  let port = 0;
  let server: RunningGrpcServer | undefined;
  const start = async () => {
    server = await startGrpcServer({ db: kdb.db, envelope, auditKey, logger, clock, database: kdb }, { host: "127.0.0.1", port, shutdownGraceMs: 1000, maxPendingRequestsPerService: 1000, ...grpcOptions });
    port = server.port;
  };
  await start();
  // A token is decided in the environment it is bound to.
  const tokenRow = async (token: string) => {
    const row = await getServiceTokenByHash(kdb.db, hashToken(token));
    if (!row) throw new Error("the token is not registered; call register() first");
    return { id: row.id, environmentId: row.environment_id };
  };
  const environmentId = async (name?: string) => {
    const env = name === undefined ? await getDefaultEnvironment(kdb.db) : await getEnvironmentByName(kdb.db, name);
    if (!env) throw new Error(`no environment ${name}`);
    return env.id;
  };
  const stop = async () => {
    await server?.close();
    server = undefined;
  };
  return {
    kdb,
    get address() {
      return `127.0.0.1:${port}`;
    },
    get running() {
      return server !== undefined;
    },
    logs: () => logText,
    stop,
    start,
    async approveToken(token) {
      await decideServiceToken(kdb.db, { ...(await tokenRow(token)), decision: "approve", actor: "admin", at: new Date() });
    },
    async revokeToken(token) {
      await decideServiceToken(kdb.db, { ...(await tokenRow(token)), decision: "revoke", actor: "admin", at: new Date() });
    },
    async setTokenExpiry(token, expiresAt) {
      const result = await decideServiceToken(kdb.db, { ...(await tokenRow(token)), decision: "approve", actor: "admin", at: new Date(), expiresAt });
      if (result.kind !== "ok") throw new Error(`decideServiceToken: ${result.kind}`);
    },
    async setValue(name, value, environment) {
      const envId = await environmentId(environment);
      await createSecretStub(kdb.db, { environmentId: envId, name, description: "set by the test", requestedBy: "admin", at: new Date() });
      const result = await setSecretValue(kdb.db, envelope, { environmentId: envId, name, value, actor: "admin", at: new Date() });
      if (result.kind !== "ok") throw new Error(`setSecretValue ${name}: ${result.kind}`);
    },
    async setAccess(name, serviceName, decision, environment) {
      const envId = await environmentId(environment);
      const { request } = await ensureAccessRequest(kdb.db, { environmentId: envId, secretName: name, serviceName, at: new Date() });
      await decideAccessRequest(kdb.db, { environmentId: envId, id: request.id, decision, actor: "admin", at: new Date() });
    },
    async createSigningKey(name, algorithm) {
      const result = await createSigningKey(kdb.db, envelope, { environmentId: await environmentId(), name, algorithm, actor: "admin", at: new Date() });
      if (result.kind !== "ok") throw new Error(`createSigningKey ${name}: ${result.kind}`);
    },
    async rotateSigningKey(name) {
      const result = await rotateSigningKey(kdb.db, envelope, { environmentId: await environmentId(), name, actor: "admin", at: new Date() });
      if (result.kind !== "ok") throw new Error(`rotateSigningKey ${name}: ${result.kind}`);
    },
    async auditedReads() {
      const row = await kdb.db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("action", "=", "secret.read")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await stop();
      await kdb.close();
    },
  };
}
