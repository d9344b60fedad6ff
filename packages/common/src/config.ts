import path from "node:path";
import { Ajv, type ErrorObject, type JSONSchemaType } from "ajv";
import { KeywardError } from "./errors/index.js";
import { MASTER_KEY_SOURCES, masterKeySource, type MasterKeySourceName } from "./keys.js";
import { externalMasterKeySettings } from "./master-key/settings.js";
import { shownValue } from "./shown-value.js";
import { insecureUrlProblem } from "./urls.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The service's environment after validation (ports coerced to numbers). The schema below is its one source. */
export interface ServiceEnv {
  KEYWARD_DATA_DIR?: string;
  DATABASE_URL?: string;
  KEYWARD_DATABASE_PREPARED_STATEMENTS?: string;
  KEYWARD_HOST?: string;
  KEYWARD_GRPC_PORT?: number;
  KEYWARD_HTTP_PORT?: number;
  KEYWARD_LOG_LEVEL?: LogLevel;
  KEYWARD_MASTER_KEY?: string;
  KEYWARD_MASTER_PASSPHRASE?: string;
  KEYWARD_PASSPHRASE_SCRYPT_N?: number;
  KEYWARD_MASTER_KEY_SOURCE?: MasterKeySourceName;
  KEYWARD_AWS_KMS_KEY_ID?: string;
  KEYWARD_AWS_KMS_REGION?: string;
  KEYWARD_AWS_KMS_ENDPOINT?: string;
  KEYWARD_AZURE_KEY_ID?: string;
  KEYWARD_VAULT_ADDR?: string;
  KEYWARD_VAULT_TOKEN?: string;
  KEYWARD_VAULT_NAMESPACE?: string;
  KEYWARD_VAULT_TRANSIT_KEY?: string;
  KEYWARD_VAULT_TRANSIT_MOUNT?: string;
  KEYWARD_AUDIT_KEY?: string;
  KEYWARD_AUDIT_SIGNING_KEY?: string;
  KEYWARD_AUDIT_CHECKPOINT_SINK?: string;
  KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN?: string;
  KEYWARD_AUDIT_CHECKPOINT_INTERVAL?: number;
  KEYWARD_AUDIT_REFUSAL_WINDOW?: number;
  KEYWARD_AUDIT_HOT_DAYS?: number;
  KEYWARD_AUDIT_PARTITION_DAYS?: number;
  KEYWARD_AUDIT_ARCHIVE_SINK?: string;
  KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT?: string;
  KEYWARD_AUDIT_ARCHIVE_S3_REGION?: string;
  KEYWARD_AUDIT_FOLD_READS_MS?: number;
  KEYWARD_MAX_PENDING_REQUESTS?: number;
  KEYWARD_MAX_PENDING_TOKENS_PER_SERVICE?: number;
  KEYWARD_MAX_PENDING_TOKENS_PER_PEER?: number;
  KEYWARD_MAX_PENDING_CHANGE_REQUESTS?: number;
  KEYWARD_KEK_ROTATION_DAYS?: number;
  KEYWARD_CREDENTIAL_TESTS?: string;
  KEYWARD_CREDENTIAL_TEST_URLS?: string;
  KEYWARD_GRPC_PEER_RATE_LIMIT?: number;
  KEYWARD_GRPC_STRICT_IDENTITY?: string;
  KEYWARD_HTTP_RATE_LIMIT?: number;
  KEYWARD_HTTP_AUTH_FAILURE_LIMIT?: number;
  KEYWARD_CONSOLE_DIR?: string;
  KEYWARD_SHUTDOWN_TIMEOUT_MS?: number;
  KEYWARD_BOOTSTRAP_TOKEN_OUTPUT?: "auto" | "file";
  KEYWARD_CORS_ORIGINS?: string;
  KEYWARD_MAX_BODY_BYTES?: number;
  KEYWARD_OIDC_JWKS_URL?: string;
  KEYWARD_OIDC_ISSUER?: string;
  KEYWARD_OIDC_AUDIENCE?: string;
  KEYWARD_OIDC_ROLE_CLAIM?: string;
  KEYWARD_OIDC_ROLE_MAP?: string;
  KEYWARD_OIDC_MAX_TOKEN_AGE?: number;
  KEYWARD_OIDC_CLIENT_ID?: string;
  KEYWARD_OIDC_SCOPES?: string;
  KEYWARD_OIDC_PROVIDER_NAME?: string;
  KEYWARD_GRPC_TLS_CERT_FILE?: string;
  KEYWARD_GRPC_TLS_KEY_FILE?: string;
  KEYWARD_GRPC_TLS_CLIENT_CA_FILE?: string;
  KEYWARD_GRPC_RATE_LIMIT?: number;
  KEYWARD_HTTP_TLS_CERT_FILE?: string;
  KEYWARD_HTTP_TLS_KEY_FILE?: string;
  KEYWARD_ALLOW_INSECURE?: string;
  KEYWARD_CACHE_MAX_AGE_MS?: number;
  KEYWARD_CACHE_MAX_ENTRIES?: number;
  KEYWARD_CHANGES_HEARTBEAT_MS?: number;
}

const BASE64_KEY = "^\\s*[A-Za-z0-9+/_-]{42,44}={0,2}\\s*$";

/**
 * JSON Schema for the environment. Each `description` doubles as the fix shown when the variable is
 * wrong, so it says what the variable is for and gives an example.
 */
export const serviceEnvSchema: JSONSchemaType<ServiceEnv> = {
  type: "object",
  properties: {
    KEYWARD_DATA_DIR: { type: "string", nullable: true, minLength: 1, description: "directory for the embedded database and key files, e.g. /var/lib/keyward (default ./data)" },
    DATABASE_URL: {
      type: "string",
      nullable: true,
      pattern: "^postgres(ql)?://",
      description: "PostgreSQL connection string, e.g. postgres://user@db.internal:5432/keyward; leave unset for embedded PGlite",
    },
    KEYWARD_DATABASE_PREPARED_STATEMENTS: {
      type: "string",
      nullable: true,
      enum: ["1", "true", "0", "false"],
      description: "0 (or false) to stop preparing the hot statements once per PostgreSQL connection, behind a pool that moves one session's statements to another (PgBouncer in transaction mode before 1.21, or with max_prepared_statements at 0, its default before 1.24); default 1 (or true)",
    },
    KEYWARD_HOST: { type: "string", nullable: true, minLength: 1, pattern: "^[A-Za-z0-9.:\\[\\]-]+$", description: "address to listen on, e.g. 127.0.0.1 or 0.0.0.0 (default 127.0.0.1)" },
    KEYWARD_GRPC_PORT: { type: "integer", nullable: true, minimum: 0, maximum: 65535, description: "gRPC port from 0 to 65535 (0 picks a free port), e.g. 50051" },
    KEYWARD_HTTP_PORT: { type: "integer", nullable: true, minimum: 0, maximum: 65535, description: "admin HTTP port from 0 to 65535 (0 picks a free port), e.g. 8080" },
    KEYWARD_LOG_LEVEL: { type: "string", nullable: true, enum: [...LOG_LEVELS], description: `one of ${LOG_LEVELS.join(", ")} (default info)` },
    KEYWARD_MASTER_KEY: { type: "string", nullable: true, pattern: BASE64_KEY, description: "the master key, 32 bytes in base64; generate one with: openssl rand -base64 32" },
    KEYWARD_MASTER_PASSPHRASE: {
      type: "string",
      nullable: true,
      minLength: 12,
      description: "instead of KEYWARD_MASTER_KEY: a passphrase of at least 12 characters the master key is derived from (scrypt)",
    },
    KEYWARD_PASSPHRASE_SCRYPT_N: {
      type: "integer",
      nullable: true,
      enum: [16384, 32768, 65536, 131072, 262144, 524288, 1048576],
      description:
        "scrypt cost for a new KEYWARD_MASTER_PASSPHRASE: a power of two from 16384 to 1048576, using 128 × N × 8 bytes of memory once per start (default 131072 = 128 MiB; e.g. 32768 for a small container); stored with the database on first use",
    },
    KEYWARD_MASTER_KEY_SOURCE: {
      type: "string",
      nullable: true,
      enum: [...MASTER_KEY_SOURCES],
      description: `where the master key is held: one of ${MASTER_KEY_SOURCES.join(", ")} (default: env when KEYWARD_MASTER_KEY is set, passphrase when KEYWARD_MASTER_PASSPHRASE is, else the master.key file); with aws-kms, azure-key-vault or vault-transit the KEKs are wrapped by that external key and no master key is on this host`,
    },
    KEYWARD_AWS_KMS_KEY_ID: { type: "string", nullable: true, minLength: 1, description: "with KEYWARD_MASTER_KEY_SOURCE=aws-kms: the symmetric KMS key that wraps the KEKs, as key id, key ARN or alias ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab; credentials come from the AWS default chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE, instance role)" },
    KEYWARD_AWS_KMS_REGION: { type: "string", nullable: true, pattern: "^[a-z]{2}(-[a-z]+)+-\\d+$", description: "with aws-kms: the key's region, e.g. eu-west-1 (default AWS_REGION or AWS_DEFAULT_REGION)" },
    KEYWARD_AWS_KMS_ENDPOINT: { type: "string", nullable: true, pattern: "^https?://", description: "with aws-kms: a KMS endpoint URL instead of the region's, e.g. a VPC endpoint https://vpce-0123.kms.eu-west-1.vpce.amazonaws.com (https unless on loopback)" },
    KEYWARD_AZURE_KEY_ID: {
      type: "string",
      nullable: true,
      pattern: "^https://",
      description: "with KEYWARD_MASTER_KEY_SOURCE=azure-key-vault: the RSA key that wraps the KEKs (RSA-OAEP-256), e.g. https://my-vault.vault.azure.net/keys/keyward-master; credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, else DefaultAzureCredential (managed identity, workload identity, az login)",
    },
    KEYWARD_VAULT_ADDR: { type: "string", nullable: true, pattern: "^https?://", description: "with KEYWARD_MASTER_KEY_SOURCE=vault-transit: the Vault server, e.g. https://vault.internal:8200 (default VAULT_ADDR; https unless on loopback)" },
    KEYWARD_VAULT_TOKEN: { type: "string", nullable: true, minLength: 1, description: "with vault-transit: a Vault token whose policy allows update on <mount>/encrypt/<key> and <mount>/decrypt/<key> (default VAULT_TOKEN)" },
    KEYWARD_VAULT_NAMESPACE: { type: "string", nullable: true, minLength: 1, description: "with vault-transit: the Vault Enterprise / HCP namespace, e.g. admin (default VAULT_NAMESPACE; none)" },
    KEYWARD_VAULT_TRANSIT_KEY: { type: "string", nullable: true, pattern: "^[A-Za-z0-9_.-]+$", description: "with vault-transit: the transit key that wraps the KEKs, e.g. keyward-master" },
    KEYWARD_VAULT_TRANSIT_MOUNT: { type: "string", nullable: true, pattern: "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", description: "with vault-transit: where the transit engine is mounted, e.g. transit (default transit)" },
    KEYWARD_AUDIT_KEY: { type: "string", nullable: true, pattern: BASE64_KEY, description: "the audit chain key, 32 bytes in base64; generate one with: openssl rand -base64 32" },
    KEYWARD_AUDIT_SIGNING_KEY: {
      type: "string",
      nullable: true,
      pattern: BASE64_KEY,
      description: "the Ed25519 seed that signs audit checkpoints, 32 bytes in base64 (its own key, not the audit key); generate one with: openssl rand -base64 32",
    },
    KEYWARD_AUDIT_CHECKPOINT_SINK: {
      type: "string",
      nullable: true,
      minLength: 1,
      description:
        "where signed audit checkpoints are written, outside the database: a file path (one JSON line each), an https:// URL they are POSTed to, or off (default <data dir>/audit-checkpoints.jsonl; keep it on another volume or host)",
    },
    KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN: { type: "string", nullable: true, minLength: 16, description: "a bearer token sent to an https:// checkpoint sink, at least 16 characters" },
    KEYWARD_AUDIT_CHECKPOINT_INTERVAL: { type: "integer", nullable: true, minimum: 1, maximum: 86_400, description: "seconds between audit checkpoints, from 1 to 86400 (default 300)" },
    KEYWARD_AUDIT_HOT_DAYS: {
      type: "integer",
      nullable: true,
      minimum: 0,
      maximum: 36_500,
      description: "days of audit rows kept in the database; older partitions are archived to KEYWARD_AUDIT_ARCHIVE_SINK, then dropped; 0 keeps every row (default 90)",
    },
    KEYWARD_AUDIT_PARTITION_DAYS: { type: "integer", nullable: true, minimum: 1, maximum: 31, description: "days each audit_log partition (and so each archive) covers, from 1 to 31 (default 7)" },
    KEYWARD_AUDIT_ARCHIVE_SINK: {
      type: "string",
      nullable: true,
      minLength: 1,
      description: "where archived audit partitions go: a directory, or s3://bucket/prefix for S3-compatible object storage (default <data dir>/audit-archive)",
    },
    KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: { type: "string", nullable: true, minLength: 1, description: "an S3-compatible endpoint URL for an s3:// archive sink (MinIO, R2, …); https, or http only to a loopback host" },
    KEYWARD_AUDIT_ARCHIVE_S3_REGION: { type: "string", nullable: true, minLength: 1, description: "the region of an s3:// archive sink (default AWS_REGION)" },
    KEYWARD_AUDIT_REFUSAL_WINDOW: {
      type: "integer",
      nullable: true,
      minimum: 1,
      maximum: 3600,
      description: "seconds over which gRPC refusals of unknown or malformed tokens are audited as one row per address with a count, from 1 to 3600 (default 60)",
    },
    KEYWARD_AUDIT_FOLD_READS_MS: {
      type: "integer",
      nullable: true,
      minimum: 0,
      maximum: 60_000,
      description:
        "milliseconds over which identical gRPC secret reads (same token, secret, version and result) are audited as the first read's row plus one row with a count, from 0 to 60000 (default 0: off, one row per read); a crash can lose the last window's count of repeats, never the first read",
    },
    KEYWARD_MAX_PENDING_REQUESTS: { type: "integer", nullable: true, minimum: 1, maximum: 100_000, description: "access requests one service may have waiting for an admin, from 1 to 100000 (default 100)" },
    KEYWARD_MAX_PENDING_TOKENS_PER_SERVICE: { type: "integer", nullable: true, minimum: 1, maximum: 10_000, description: "service tokens of one service name that may wait for approval, from 1 to 10000 (default 10)" },
    KEYWARD_MAX_PENDING_TOKENS_PER_PEER: { type: "integer", nullable: true, minimum: 1, maximum: 10_000, description: "service tokens registered from one address that may wait for approval, from 1 to 10000 (default 50)" },
    KEYWARD_MAX_PENDING_CHANGE_REQUESTS: { type: "integer", nullable: true, minimum: 1, maximum: 100_000, description: "change requests one environment may have pending, from 1 to 100000 (default 100)" },
    KEYWARD_KEK_ROTATION_DAYS: { type: "integer", nullable: true, minimum: 1, maximum: 3650, description: "rotate the key-encryption key automatically once the active one is this many days old, from 1 to 3650 (default: off; seed 003 suggests 30)" },
    KEYWARD_CREDENTIAL_TESTS: { type: "string", nullable: true, enum: ["on", "off"], description: "on (default): admins may test stored credentials against their providers, and schedule re-tests; off: no outbound connection tests" },
    KEYWARD_CREDENTIAL_TEST_URLS: {
      type: "string",
      nullable: true,
      pattern: "^[a-z0-9-]+=https?://[^,\\s]+(,[a-z0-9-]+=https?://[^,\\s]+)*$",
      description:
        "where connection tests reach each provider when not at its public address, e.g. openai=https://llm-proxy.internal/v1,github=https://ghe.example.com/api/v3 (https, or http only to a loopback host)",
    },
    KEYWARD_GRPC_PEER_RATE_LIMIT: {
      type: "integer",
      nullable: true,
      minimum: 1,
      maximum: 100_000,
      description: "gRPC calls per second per client address before a token is known (registrations, unknown or malformed tokens), per replica (default 20)",
    },
    KEYWARD_GRPC_STRICT_IDENTITY: {
      type: "string",
      nullable: true,
      enum: ["1", "true", "0", "false"],
      description: "1 or true binds each service name to its client certificate (the name must equal a DNS SAN or the SPIFFE ID's path); needs KEYWARD_GRPC_TLS_CLIENT_CA_FILE (default false)",
    },
    KEYWARD_HTTP_RATE_LIMIT: { type: "integer", nullable: true, minimum: 1, maximum: 100_000, description: "admin API requests per second per client address, per replica (default 50)" },
    KEYWARD_HTTP_AUTH_FAILURE_LIMIT: {
      type: "integer",
      nullable: true,
      minimum: 1,
      maximum: 10_000,
      description: "failed admin API sign-ins per minute per client address before it is refused for a while, per replica (default 10)",
    },
    KEYWARD_CONSOLE_DIR: { type: "string", nullable: true, minLength: 1, description: "directory of the built admin console to serve at /admin" },
    KEYWARD_BOOTSTRAP_TOKEN_OUTPUT: {
      type: "string",
      nullable: true,
      enum: ["auto", "file"],
      description:
        "where the first start's owner token goes: auto (the default: shown on a terminal, else <data dir>/bootstrap-admin-token) or file (always the file, for a container with a terminal whose output is still a log)",
    },
    KEYWARD_SHUTDOWN_TIMEOUT_MS: {
      type: "integer",
      nullable: true,
      minimum: 0,
      maximum: 600_000,
      description: "how long a graceful shutdown waits for calls in flight before forcing, in milliseconds (default 10000)",
    },
    KEYWARD_CORS_ORIGINS: {
      type: "string",
      nullable: true,
      pattern: "^(\\*|https?://[^\\s,]+(\\s*,\\s*https?://[^\\s,]+)*)$",
      description: "browser origins allowed to call the admin API, comma-separated (e.g. https://admin.example.com), or * for any (default: none)",
    },
    KEYWARD_MAX_BODY_BYTES: { type: "integer", nullable: true, minimum: 1024, maximum: 16_777_216, description: "largest admin API request body in bytes, from 1024 to 16777216 (default 131072)" },
    KEYWARD_OIDC_ISSUER: {
      type: "string",
      nullable: true,
      pattern: "^https?://",
      description:
        "turns on OIDC sign-in for the admin API (with KEYWARD_OIDC_AUDIENCE): the identity provider's issuer URL, which a token's `iss` must equal, e.g. https://id.example.com/realms/main (https unless on loopback)",
    },
    KEYWARD_OIDC_AUDIENCE: {
      type: "string",
      nullable: true,
      minLength: 1,
      description: "the `aud` an OIDC token must carry, e.g. keyward-console: the console's client id when KEYWARD_OIDC_CLIENT_ID is set (the console sends its ID token)",
    },
    KEYWARD_OIDC_JWKS_URL: {
      type: "string",
      nullable: true,
      pattern: "^https?://",
      description: "the identity provider's JWKS URL, e.g. https://id.example.com/jwks.json (https unless on loopback; default: the jwks_uri of the issuer's /.well-known/openid-configuration)",
    },
    KEYWARD_OIDC_ROLE_CLAIM: { type: "string", nullable: true, pattern: "^[A-Za-z0-9_:.-]+$", description: "the (dotted) claim that carries the admin role, e.g. realm_access.roles (default keyward_role)" },
    KEYWARD_OIDC_ROLE_MAP: {
      type: "string",
      nullable: true,
      pattern: "^[^=,\\s]+=(owner|admin|operator|viewer|auditor)(@[a-z][a-z0-9-]{0,62}(\\+[a-z][a-z0-9-]{0,62})*)?(\\s*,\\s*[^=,\\s]+=(owner|admin|operator|viewer|auditor)(@[a-z][a-z0-9-]{0,62}(\\+[a-z][a-z0-9-]{0,62})*)?)*$",
      description: "claim values mapped to roles, e.g. secrets-admins=admin,auditors=auditor; a role may be scoped to environments, e.g. devs=operator@development,qa=viewer@staging+production (default: the claim holds the role name)",
    },
    KEYWARD_OIDC_MAX_TOKEN_AGE: {
      type: "integer",
      nullable: true,
      minimum: 60,
      maximum: 86_400,
      description: "the longest an OIDC token may live and its greatest age, in seconds from 60 to 86400: a token issued longer ago, or valid for longer, is refused (default 3600)",
    },
    KEYWARD_OIDC_CLIENT_ID: {
      type: "string",
      nullable: true,
      pattern: "^[\\x21-\\x7E]+$",
      description: "the admin console's OIDC client id, e.g. keyward-console: a public client (no secret, PKCE) whose redirect URI is the console's URL, e.g. https://keyward.example.com/admin/; turns on \"Sign in with …\" in the console",
    },
    KEYWARD_OIDC_SCOPES: {
      type: "string",
      nullable: true,
      pattern: "^[\\x21\\x23-\\x5B\\x5D-\\x7E]+( +[\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$",
      description: "the scopes the console asks the identity provider for, space-separated and including openid, e.g. openid email groups (default openid profile email)",
    },
    KEYWARD_OIDC_PROVIDER_NAME: { type: "string", nullable: true, minLength: 1, maxLength: 60, description: "the identity provider's name on the console's sign-in button, e.g. Okta (default: the issuer's host)" },
    KEYWARD_GRPC_TLS_CERT_FILE: { type: "string", nullable: true, minLength: 1, description: "PEM certificate chain for gRPC over TLS, e.g. /etc/keyward/tls/server.crt (set with KEYWARD_GRPC_TLS_KEY_FILE)" },
    KEYWARD_GRPC_TLS_KEY_FILE: { type: "string", nullable: true, minLength: 1, description: "PEM private key for gRPC over TLS, e.g. /etc/keyward/tls/server.key (set with KEYWARD_GRPC_TLS_CERT_FILE)" },
    KEYWARD_GRPC_TLS_CLIENT_CA_FILE: { type: "string", nullable: true, minLength: 1, description: "PEM CA that client certificates must chain to: turns on mutual TLS, e.g. /etc/keyward/tls/clients-ca.crt" },
    KEYWARD_GRPC_RATE_LIMIT: { type: "integer", nullable: true, minimum: 1, maximum: 1_000_000, description: "gRPC calls per second allowed per service token, per replica (default 1000)" },
    KEYWARD_HTTP_TLS_CERT_FILE: { type: "string", nullable: true, minLength: 1, description: "PEM certificate chain for the admin API over HTTPS, e.g. /etc/keyward/tls/server.crt (set with KEYWARD_HTTP_TLS_KEY_FILE)" },
    KEYWARD_HTTP_TLS_KEY_FILE: { type: "string", nullable: true, minLength: 1, description: "PEM private key for the admin API over HTTPS, e.g. /etc/keyward/tls/server.key (set with KEYWARD_HTTP_TLS_CERT_FILE)" },
    KEYWARD_ALLOW_INSECURE: {
      type: "string",
      nullable: true,
      enum: ["1", "true", "0", "false"],
      description:
        "1 (or true) to let the service listen on a non-loopback KEYWARD_HOST without TLS on gRPC or the admin API, when a TLS-terminating proxy is in front; warned about at every start (default 0: refused)",
    },
    KEYWARD_CACHE_MAX_AGE_MS: {
      type: "integer",
      nullable: true,
      minimum: 100,
      maximum: 3_600_000,
      description: "how long a replica may answer from its in-memory cache of tokens, grants and values should a change notification be lost, in milliseconds from 100 to 3600000 (default 30000)",
    },
    KEYWARD_CACHE_MAX_ENTRIES: {
      type: "integer",
      nullable: true,
      minimum: 100,
      maximum: 10_000_000,
      description: "the most entries each of a replica's in-memory caches (tokens, grants, values) keeps, from 100 to 10000000 (default 10000); a full cache evicts the least recently used entry. Memory grows with it: about 600 bytes per entry, so some 18 MB with all three full at the default",
    },
    KEYWARD_CHANGES_HEARTBEAT_MS: {
      type: "integer",
      nullable: true,
      minimum: 100,
      maximum: 300_000,
      description: "PostgreSQL: how often the change-notification connection checks itself, in milliseconds from 100 to 300000 (default 5000); a silent connection is found dead within twice this",
    },
  },
  required: [],
  additionalProperties: true,
};

export interface ServiceConfig {
  /** Holds the embedded database, the master key file and the audit key file. */
  dataDir: string;
  /** PostgreSQL connection string; when absent, embedded PGlite in `dataDir/pglite` is used. */
  databaseUrl: string | undefined;
  /** KEYWARD_DATABASE_PREPARED_STATEMENTS: PostgreSQL prepares the hot statements once per connection (default true). */
  databasePreparedStatements: boolean;
  host: string;
  grpcPort: number;
  httpPort: number;
  logLevel: LogLevel;
  /** The built admin console, served at /admin when set. */
  consoleDir: string | undefined;
  shutdownTimeoutMs: number;
  /** KEYWARD_BOOTSTRAP_TOKEN_OUTPUT: "file" writes the first start's owner token to a file even on a terminal. */
  bootstrapTokenOutput: "auto" | "file";
  /** Browser origins allowed to call the admin API; undefined allows none. */
  corsOrigins: string[] | "*" | undefined;
  maxBodyBytes: number | undefined;
  /** OIDC bearer sign-in for the admin API, when any KEYWARD_OIDC_* variable is set. */
  oidc: OidcConfig | undefined;
  /** PEM file paths for gRPC over TLS (mutual TLS when clientCaFile is set). */
  grpcTls: { certFile: string; keyFile: string; clientCaFile?: string } | undefined;
  grpcRateLimitPerSecond: number | undefined;
  /** Signed audit checkpoints: where (a file path or URL; false = off; undefined = the default, see auditCheckpointSink) and how often. */
  auditCheckpoints: { sink: string | false | undefined; intervalMs: number };
  /** Audit retention (issue #21): days kept hot (0: all), days per partition, and the archive sink (a directory or s3:// URL; undefined: <data dir>/audit-archive). */
  auditRetention: { hotDays: number; partitionDays: number; sink: string | undefined; s3Endpoint: string | undefined; s3Region: string | undefined };
  /** Refusals of unknown or malformed gRPC tokens are audited once per address per window, with a count. */
  refusalAuditWindowMs: number | undefined;
  /** Identical gRPC reads within this window fold into one counted audit row (0 or undefined: off). */
  auditFoldReadsMs: number | undefined;
  maxPendingRequestsPerService: number | undefined;
  maxPendingTokensPerService: number | undefined;
  maxPendingTokensPerPeer: number | undefined;
  /** Change requests one protected environment may have pending; past it a new one is refused (change_requests_full). */
  maxPendingChangeRequests: number | undefined;
  /** Rotate the KEK automatically once the active one is this many days old (then rewrap and retire the old); undefined: never. */
  kekRotationDays: number | undefined;
  /** Connection tests of stored credentials (issue #17): off, or on with each provider's base URL where not the public one. */
  credentialTests: { enabled: boolean; baseUrls: Record<string, string> };
  grpcPeerRateLimitPerSecond: number | undefined;
  /** Bind each service name to its client certificate (mutual TLS). */
  grpcStrictIdentity: boolean;
  httpRateLimitPerSecond: number | undefined;
  httpAuthFailuresPerMinute: number | undefined;
  /** PEM file paths for the admin API over HTTPS. */
  httpTls: { certFile: string; keyFile: string } | undefined;
  /** KEYWARD_ALLOW_INSECURE: plaintext on a non-loopback host is allowed (a TLS proxy terminates in front). */
  allowInsecure: boolean;
  /** Staleness bound of the gRPC caches (undefined: the gRPC server's default). */
  cacheMaxAgeMs: number | undefined;
  /** Most entries per gRPC cache (undefined: the gRPC server's default). */
  cacheMaxEntries: number | undefined;
  /** Heartbeat of the PostgreSQL change-notification connection (undefined: the default). */
  changesHeartbeatMs: number | undefined;
}

export interface OidcConfig {
  /** The `iss` every token must carry; also where the JWKS and the console's endpoints are discovered. */
  issuer: string;
  /** The `aud` every token must carry (the console's client id when `console` is set). */
  audience: string;
  /** Unset: the jwks_uri of the issuer's discovery document. */
  jwksUrl?: string;
  /** Unset: the admin API's default (3600 s). */
  maxTokenAgeSeconds?: number;
  roleClaim?: string;
  roleMap?: Record<string, string>;
  /** The admin console's public client, when it offers "Sign in with …". */
  console?: { clientId: string; scopes?: string[]; providerName?: string };
}

export const DEFAULT_GRPC_PORT = 50051;
export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: false });
// Compiled once per process; validation then costs microseconds.
const validateEnv = ajv.compile(serviceEnvSchema);

function variableOf(error: ErrorObject): string {
  return error.instancePath.replace(/^\//, "");
}

function describe(error: ErrorObject, raw: NodeJS.ProcessEnv): string {
  const variable = variableOf(error);
  const got = raw[variable];
  const property = (serviceEnvSchema.properties as Record<string, { description?: string }>)[variable];
  // Keys and passphrases are secrets and a DATABASE_URL may hold a password: name them, never echo them.
  const shown = /KEY$|PASSPHRASE$|TOKEN$|SECRET$|PASSWORD$/.test(variable) || variable === "DATABASE_URL" ? "" : ` (got ${shownValue(got)})`;
  return `${variable} ${error.message ?? "is not valid"}${shown}: set it to ${property?.description ?? "a valid value"}`;
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const OIDC_VARIABLES = [
  "KEYWARD_OIDC_ISSUER",
  "KEYWARD_OIDC_AUDIENCE",
  "KEYWARD_OIDC_JWKS_URL",
  "KEYWARD_OIDC_ROLE_CLAIM",
  "KEYWARD_OIDC_ROLE_MAP",
  "KEYWARD_OIDC_MAX_TOKEN_AGE",
  "KEYWARD_OIDC_CLIENT_ID",
  "KEYWARD_OIDC_SCOPES",
  "KEYWARD_OIDC_PROVIDER_NAME",
] as const;

/** A bad setting, worded as every configuration error is ("invalid configuration:" and the problem), naming its variable. */
export const configError = (field: string, problem: string) => new KeywardError("config", `invalid configuration:\n  - ${problem}`, { field });

// Any OIDC variable turns OIDC on; then the issuer and the audience are required, so a token is
// never accepted for any audience or from any issuer that the JWKS happens to sign for.
function oidcConfig(valid: ServiceEnv): ServiceConfig["oidc"] {
  const set = OIDC_VARIABLES.filter((k) => valid[k] !== undefined);
  if (set.length === 0) return undefined;
  const { KEYWARD_OIDC_ISSUER: issuer, KEYWARD_OIDC_AUDIENCE: audience, KEYWARD_OIDC_JWKS_URL: jwksUrl, KEYWARD_OIDC_CLIENT_ID: clientId, KEYWARD_OIDC_SCOPES: scopes } = valid;
  if (issuer === undefined || audience === undefined) {
    const missing = issuer === undefined ? "KEYWARD_OIDC_ISSUER" : "KEYWARD_OIDC_AUDIENCE";
    const both = issuer === undefined && audience === undefined ? "KEYWARD_OIDC_ISSUER and KEYWARD_OIDC_AUDIENCE are missing" : `${missing} is missing`;
    throw configError(missing, `${both}: OIDC sign-in (turned on by ${set.join(", ")}) needs the issuer URL and the audience tokens must carry; set both, or unset every KEYWARD_OIDC_* variable`);
  }
  for (const [variable, url] of [["KEYWARD_OIDC_ISSUER", issuer], ["KEYWARD_OIDC_JWKS_URL", jwksUrl]] as const) {
    const problem = url === undefined ? undefined : insecureUrlProblem(url);
    if (problem) throw configError(variable, `${variable} ${problem} (got ${shownValue(url)}): tokens would be checked against keys fetched over an unauthenticated connection`);
  }
  if (clientId !== undefined && clientId !== audience) {
    throw configError("KEYWARD_OIDC_AUDIENCE", `KEYWARD_OIDC_AUDIENCE (${shownValue(audience)}) differs from KEYWARD_OIDC_CLIENT_ID (${shownValue(clientId)}): the console signs in with its ID token, whose aud is the client id; set KEYWARD_OIDC_AUDIENCE=${/^[\x21-\x7e]{1,100}$/.test(clientId) ? clientId : "the client id"}`);
  }
  const scopeList = scopes?.split(/ +/);
  if (scopeList && !scopeList.includes("openid")) throw configError("KEYWARD_OIDC_SCOPES", `KEYWARD_OIDC_SCOPES must include openid (got ${shownValue(scopes)}): the console signs in with an ID token`);
  if (clientId === undefined) {
    const orphan = (["KEYWARD_OIDC_SCOPES", "KEYWARD_OIDC_PROVIDER_NAME"] as const).find((k) => valid[k] !== undefined);
    if (orphan) throw configError("KEYWARD_OIDC_CLIENT_ID", `${orphan} is for the console's sign-in, which needs KEYWARD_OIDC_CLIENT_ID: set it, or unset ${orphan}`);
  }
  const roleMap = valid.KEYWARD_OIDC_ROLE_MAP?.split(",").map((pair) => pair.trim().split("=") as [string, string]);
  // A claim value mapped twice would silently keep the last role: which one was meant is the admin's call.
  const twice = roleMap?.find(([value], i) => roleMap.findIndex(([other]) => other === value) !== i);
  if (twice) throw configError("KEYWARD_OIDC_ROLE_MAP", `KEYWARD_OIDC_ROLE_MAP maps ${shownValue(twice[0])} more than once: give each claim value one role (scope it to environments with role@env+env)`);
  return defined({
    issuer,
    audience,
    jwksUrl,
    maxTokenAgeSeconds: valid.KEYWARD_OIDC_MAX_TOKEN_AGE,
    roleClaim: valid.KEYWARD_OIDC_ROLE_CLAIM,
    roleMap: roleMap && Object.fromEntries(roleMap),
    console: clientId === undefined ? undefined : defined({ clientId, scopes: scopeList, providerName: valid.KEYWARD_OIDC_PROVIDER_NAME }),
  });
}

// Connection tests send bearer keys and client secrets to these URLs: https, or http only on loopback, as
// every other URL Keyward sends credentials to or trusts answers from.
function credentialTestBaseUrls(valid: ServiceEnv): Record<string, string> {
  const pairs = (valid.KEYWARD_CREDENTIAL_TEST_URLS ?? "").split(",").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] as const);
  for (const [name, url] of pairs) {
    const problem = insecureUrlProblem(url);
    if (problem) {
      throw configError("KEYWARD_CREDENTIAL_TEST_URLS", `KEYWARD_CREDENTIAL_TEST_URLS: the ${name} URL ${problem} (got ${shownValue(url)}): connection tests would send the credential under test over an unencrypted connection`);
    }
  }
  return Object.fromEntries(pairs);
}

function grpcTlsConfig(valid: ServiceEnv, cwd: string): ServiceConfig["grpcTls"] {
  const { KEYWARD_GRPC_TLS_CERT_FILE: cert, KEYWARD_GRPC_TLS_KEY_FILE: key, KEYWARD_GRPC_TLS_CLIENT_CA_FILE: ca } = valid;
  if (cert === undefined && key === undefined) {
    if (ca !== undefined) throw new KeywardError("config", "invalid configuration:\n  - KEYWARD_GRPC_TLS_CLIENT_CA_FILE needs TLS: set KEYWARD_GRPC_TLS_CERT_FILE and KEYWARD_GRPC_TLS_KEY_FILE too", { field: "KEYWARD_GRPC_TLS_CERT_FILE" });
    return undefined;
  }
  if (cert === undefined || key === undefined) {
    const missing = cert === undefined ? "KEYWARD_GRPC_TLS_CERT_FILE" : "KEYWARD_GRPC_TLS_KEY_FILE";
    throw new KeywardError("config", `invalid configuration:\n  - ${missing} is missing: gRPC TLS needs both KEYWARD_GRPC_TLS_CERT_FILE and KEYWARD_GRPC_TLS_KEY_FILE`, { field: missing });
  }
  return defined({ certFile: path.resolve(cwd, cert), keyFile: path.resolve(cwd, key), clientCaFile: ca === undefined ? undefined : path.resolve(cwd, ca) });
}

function httpTlsConfig(valid: ServiceEnv, cwd: string): ServiceConfig["httpTls"] {
  const { KEYWARD_HTTP_TLS_CERT_FILE: cert, KEYWARD_HTTP_TLS_KEY_FILE: key } = valid;
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    const missing = cert === undefined ? "KEYWARD_HTTP_TLS_CERT_FILE" : "KEYWARD_HTTP_TLS_KEY_FILE";
    throw new KeywardError("config", `invalid configuration:\n  - ${missing} is missing: HTTPS for the admin API needs both KEYWARD_HTTP_TLS_CERT_FILE and KEYWARD_HTTP_TLS_KEY_FILE`, { field: missing });
  }
  return { certFile: path.resolve(cwd, cert), keyFile: path.resolve(cwd, key) };
}

/**
 * Reads the service configuration from the environment, validated against `serviceEnvSchema`.
 * Every bad variable is named in one error, with its fix. Nothing is required: the defaults run
 * an embedded service in ./data.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServiceConfig {
  // Only the variables the schema knows, with blank values treated as unset (a common compose/.env slip).
  const known = Object.keys(serviceEnvSchema.properties);
  const input: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") input[name] = value.trim();
  }
  if (!validateEnv(input)) {
    const errors = validateEnv.errors ?? [];
    const messages = [...new Set(errors.map((e) => describe(e, env)))];
    const first = errors[0] ? variableOf(errors[0]) : undefined;
    throw new KeywardError("config", `invalid configuration:\n  - ${messages.join("\n  - ")}`, { field: first });
  }
  const valid = input as ServiceEnv;
  // An explicit master key source is checked here, so start names every missing or conflicting setting up front.
  if (valid.KEYWARD_MASTER_KEY_SOURCE !== undefined) externalMasterKeySettings(env, masterKeySource(env));
  return {
    dataDir: path.resolve(cwd, valid.KEYWARD_DATA_DIR ?? "data"),
    databaseUrl: valid.DATABASE_URL,
    databasePreparedStatements: !(valid.KEYWARD_DATABASE_PREPARED_STATEMENTS === "0" || valid.KEYWARD_DATABASE_PREPARED_STATEMENTS === "false"),
    host: valid.KEYWARD_HOST ?? "127.0.0.1",
    grpcPort: valid.KEYWARD_GRPC_PORT ?? DEFAULT_GRPC_PORT,
    httpPort: valid.KEYWARD_HTTP_PORT ?? DEFAULT_HTTP_PORT,
    logLevel: valid.KEYWARD_LOG_LEVEL ?? "info",
    consoleDir: valid.KEYWARD_CONSOLE_DIR === undefined ? undefined : path.resolve(cwd, valid.KEYWARD_CONSOLE_DIR),
    shutdownTimeoutMs: valid.KEYWARD_SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    bootstrapTokenOutput: valid.KEYWARD_BOOTSTRAP_TOKEN_OUTPUT ?? "auto",
    corsOrigins: valid.KEYWARD_CORS_ORIGINS === undefined ? undefined : valid.KEYWARD_CORS_ORIGINS === "*" ? "*" : valid.KEYWARD_CORS_ORIGINS.split(",").map((o) => o.trim()),
    maxBodyBytes: valid.KEYWARD_MAX_BODY_BYTES,
    oidc: oidcConfig(valid),
    grpcTls: grpcTlsConfig(valid, cwd),
    grpcRateLimitPerSecond: valid.KEYWARD_GRPC_RATE_LIMIT,
    auditCheckpoints: {
      sink: valid.KEYWARD_AUDIT_CHECKPOINT_SINK === "off" ? false : valid.KEYWARD_AUDIT_CHECKPOINT_SINK === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(valid.KEYWARD_AUDIT_CHECKPOINT_SINK) ? valid.KEYWARD_AUDIT_CHECKPOINT_SINK : path.resolve(cwd, valid.KEYWARD_AUDIT_CHECKPOINT_SINK),
      intervalMs: (valid.KEYWARD_AUDIT_CHECKPOINT_INTERVAL ?? 300) * 1000,
    },
    auditRetention: {
      hotDays: valid.KEYWARD_AUDIT_HOT_DAYS ?? 90,
      partitionDays: valid.KEYWARD_AUDIT_PARTITION_DAYS ?? 7,
      sink: valid.KEYWARD_AUDIT_ARCHIVE_SINK === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(valid.KEYWARD_AUDIT_ARCHIVE_SINK) ? valid.KEYWARD_AUDIT_ARCHIVE_SINK : path.resolve(cwd, valid.KEYWARD_AUDIT_ARCHIVE_SINK),
      s3Endpoint: valid.KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT,
      s3Region: valid.KEYWARD_AUDIT_ARCHIVE_S3_REGION,
    },
    refusalAuditWindowMs: valid.KEYWARD_AUDIT_REFUSAL_WINDOW === undefined ? undefined : valid.KEYWARD_AUDIT_REFUSAL_WINDOW * 1000,
    auditFoldReadsMs: valid.KEYWARD_AUDIT_FOLD_READS_MS,
    maxPendingRequestsPerService: valid.KEYWARD_MAX_PENDING_REQUESTS,
    maxPendingTokensPerService: valid.KEYWARD_MAX_PENDING_TOKENS_PER_SERVICE,
    maxPendingTokensPerPeer: valid.KEYWARD_MAX_PENDING_TOKENS_PER_PEER,
    maxPendingChangeRequests: valid.KEYWARD_MAX_PENDING_CHANGE_REQUESTS,
    kekRotationDays: valid.KEYWARD_KEK_ROTATION_DAYS,
    credentialTests: {
      enabled: valid.KEYWARD_CREDENTIAL_TESTS !== "off",
      baseUrls: credentialTestBaseUrls(valid),
    },
    grpcPeerRateLimitPerSecond: valid.KEYWARD_GRPC_PEER_RATE_LIMIT,
    grpcStrictIdentity: strictIdentity(valid),
    httpRateLimitPerSecond: valid.KEYWARD_HTTP_RATE_LIMIT,
    httpAuthFailuresPerMinute: valid.KEYWARD_HTTP_AUTH_FAILURE_LIMIT,
    httpTls: httpTlsConfig(valid, cwd),
    allowInsecure: valid.KEYWARD_ALLOW_INSECURE === "1" || valid.KEYWARD_ALLOW_INSECURE === "true",
    cacheMaxAgeMs: valid.KEYWARD_CACHE_MAX_AGE_MS,
    cacheMaxEntries: valid.KEYWARD_CACHE_MAX_ENTRIES,
    changesHeartbeatMs: valid.KEYWARD_CHANGES_HEARTBEAT_MS,
  };
}

export const AUDIT_CHECKPOINT_FILE = "audit-checkpoints.jsonl";
export const AUDIT_ARCHIVE_DIR = "audit-archive";

/** Where archived audit partitions go: the configured sink, else <data dir>/audit-archive. */
export function auditArchiveSink(config: Pick<ServiceConfig, "auditRetention" | "dataDir">): string {
  return config.auditRetention.sink ?? path.join(config.dataDir, AUDIT_ARCHIVE_DIR);
}

/** Where the service writes audit checkpoints: the configured sink, by default a file in the data dir; undefined when off. */
export function auditCheckpointSink(config: Pick<ServiceConfig, "auditCheckpoints" | "dataDir">): string | undefined {
  const sink = config.auditCheckpoints.sink;
  return sink === false ? undefined : (sink ?? path.join(config.dataDir, AUDIT_CHECKPOINT_FILE));
}

function strictIdentity(valid: ServiceEnv): boolean {
  const on = valid.KEYWARD_GRPC_STRICT_IDENTITY === "1" || valid.KEYWARD_GRPC_STRICT_IDENTITY === "true";
  if (on && valid.KEYWARD_GRPC_TLS_CLIENT_CA_FILE === undefined) {
    throw new KeywardError("config", "invalid configuration:\n  - KEYWARD_GRPC_STRICT_IDENTITY needs mutual TLS: set KEYWARD_GRPC_TLS_CLIENT_CA_FILE (and the gRPC TLS certificate and key)", { field: "KEYWARD_GRPC_STRICT_IDENTITY" });
  }
  return on;
}
