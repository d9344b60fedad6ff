import type { Clock, Envelope, Logger } from "@keyward/common";
import type { AuditCheckpoint, AuditWriter, ChangeHub, Database } from "@keyward/db";
import type { SecretTypeRegistry } from "@keyward/secret-types";
import type { Readiness } from "@keyward/spec";
import type { Kysely } from "kysely";
import type { OidcOptions } from "./auth/oidc.js";
import type { CorsOptions } from "./cors.js";
import type { CredentialTester } from "./credentials/tester.js";

export interface HttpDeps {
  db: Kysely<Database>;
  envelope: Envelope;
  auditKey: Uint8Array;
  logger: Logger;
  clock: Clock;
  /** A shared group-commit audit writer; the server makes its own when none is given. */
  auditWriter?: AuditWriter;
  /**
   * The process's change feed (`createChangeHub`). With it the admin key behind a bearer and the
   * environments requests act in are cached, and dropped when any replica changes them; without
   * it each request reads both from the database.
   */
  changes?: ChangeHub;
  /** The service's audit checkpoints: verification checks the chain against the latest one, signed by `publicKey`. */
  checkpoints?: AuditCheckpoints;
  /**
   * Readiness checks beyond the database's, asked on every `/readyz` (e.g. the gRPC server's change
   * feed); any value other than "ok" makes the service not ready.
   */
  readiness?: () => Omit<Readiness["checks"], "database">;
  /** More Prometheus text for /metrics, after the admin API's own (the service passes the gRPC server's call metrics). */
  moreMetrics?: () => string;
  /** Where the console is (KEYWARD_PUBLIC_URL, else the admin URL), for the links of a channel's test message. */
  consoleBaseUrl?: () => string;
  /** Connection tests per secret type (issue #17); without it no type is testable. */
  credentialTester?: CredentialTester;
  /**
   * The secret types values are checked against (issue #17); `createNodeSecretTypeRegistry()` when
   * none is given. Register custom types on it (`registerSecretType`) before the server starts.
   */
  secretTypes?: SecretTypeRegistry;
}

export interface AuditCheckpoints {
  /** The checkpoint signing key's public half (base64 raw Ed25519): the signer verification trusts. */
  publicKey: string;
  /** The newest checkpoint the service wrote (or found in its sink), if any. */
  latest(): Promise<AuditCheckpoint | undefined>;
}

export interface HttpOptions {
  /** Allowed browser origins; none by default (same-origin only). */
  cors?: CorsOptions;
  /** The largest request body accepted, in bytes (default 128 KiB). */
  maxBodyBytes?: number;
  /** Accept OIDC JWT bearers as well as admin keys. */
  oidc?: OidcOptions;
  /** Requests per second per client address (default 50, bursts of twice that); more get 429. Health, readiness and metrics are exempt. */
  rateLimitPerSecond?: number;
  /** Failed sign-ins (401) per minute per client address (default 10); past it, the address gets 429 until its budget refills. */
  authFailuresPerMinute?: number;
  /** Change requests one environment may have pending (default 100); past it a new one is refused with 409 `change_requests_full`. */
  maxPendingChangeRequests?: number;
  /** Connection tests per secret and environment per minute (default 6, bursts of 3); more get 429. */
  credentialTestsPerMinute?: number;
  /** With a change feed (`deps.changes`): the longest a cached admin key or environment is used without a fresh read (default 30 s, as gRPC's caches). */
  cacheMaxAgeMs?: number;
}
