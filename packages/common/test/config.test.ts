import { describe, expect, it } from "vitest";
import { auditArchiveSink, isKeywardError, loadServiceConfig, secretNameProblem, serviceEnvSchema } from "../src/index.js";

function configError(env: NodeJS.ProcessEnv) {
  try {
    loadServiceConfig(env, "/srv/app");
  } catch (error) {
    if (!isKeywardError(error)) throw error;
    return error;
  }
  throw new Error("expected a config error");
}

/** What an empty environment gives, in /srv/app. */
const EMBEDDED_DEFAULTS = {
  dataDir: "/srv/app/data",
  databaseUrl: undefined,
  databasePreparedStatements: true,
  grpcPort: 50051,
  httpPort: 8080,
  host: "127.0.0.1",
  logLevel: "info",
  consoleDir: undefined,
  shutdownTimeoutMs: 10_000,
  bootstrapTokenOutput: "auto",
  corsOrigins: undefined,
  maxBodyBytes: undefined,
  oidc: undefined,
  grpcTls: undefined,
  grpcRateLimitPerSecond: undefined,
  auditCheckpoints: { sink: undefined, intervalMs: 300_000 },
  auditRetention: { hotDays: 90, partitionDays: 7, sink: undefined, s3Endpoint: undefined, s3Region: undefined },
  refusalAuditWindowMs: undefined,
  auditFoldReadsMs: undefined,
  maxPendingRequestsPerService: undefined,
  maxPendingTokensPerService: undefined,
  maxPendingTokensPerPeer: undefined,
  maxPendingChangeRequests: undefined,
  grpcPeerRateLimitPerSecond: undefined,
  grpcStrictIdentity: false,
  httpRateLimitPerSecond: undefined,
  httpAuthFailuresPerMinute: undefined,
  httpTls: undefined,
  allowInsecure: false,
  cacheMaxAgeMs: undefined,
  cacheMaxEntries: undefined,
  changesHeartbeatMs: undefined,
  credentialTests: { enabled: true, baseUrls: {} },
};

describe("service config", () => {
  it("runs embedded with no configuration", () => {
    expect(loadServiceConfig({}, "/srv/app")).toEqual(EMBEDDED_DEFAULTS);
  });

  it("reads every variable, coercing ports and resolving directories against cwd", () => {
    const c = loadServiceConfig(
      {
        KEYWARD_DATA_DIR: "state",
        DATABASE_URL: " postgresql://db:5432/keyward ",
        KEYWARD_HOST: "0.0.0.0",
        KEYWARD_GRPC_PORT: "0",
        KEYWARD_HTTP_PORT: "9090",
        KEYWARD_LOG_LEVEL: "debug",
        KEYWARD_CONSOLE_DIR: "/opt/console",
        KEYWARD_SHUTDOWN_TIMEOUT_MS: "2500",
        KEYWARD_BOOTSTRAP_TOKEN_OUTPUT: "file",
      },
      "/srv/app",
    );
    expect(c).toEqual({
      ...EMBEDDED_DEFAULTS,
      dataDir: "/srv/app/state",
      databaseUrl: "postgresql://db:5432/keyward",
      databasePreparedStatements: true,
      host: "0.0.0.0",
      grpcPort: 0,
      httpPort: 9090,
      logLevel: "debug",
      consoleDir: "/opt/console",
      shutdownTimeoutMs: 2500,
      bootstrapTokenOutput: "file",
    });
  });

  it("reads the audit retention settings, resolving a directory sink against cwd and refusing bad values by name", () => {
    expect(loadServiceConfig({ KEYWARD_AUDIT_HOT_DAYS: "30", KEYWARD_AUDIT_PARTITION_DAYS: "1", KEYWARD_AUDIT_ARCHIVE_SINK: "archive" }, "/srv").auditRetention).toEqual({
      hotDays: 30,
      partitionDays: 1,
      sink: "/srv/archive",
      s3Endpoint: undefined,
      s3Region: undefined,
    });
    expect(loadServiceConfig({ KEYWARD_AUDIT_HOT_DAYS: "0", KEYWARD_AUDIT_ARCHIVE_SINK: "s3://bucket/keyward", KEYWARD_AUDIT_ARCHIVE_S3_REGION: "eu-west-1" }, "/srv").auditRetention).toMatchObject({ hotDays: 0, sink: "s3://bucket/keyward", s3Region: "eu-west-1" });
    expect(auditArchiveSink(loadServiceConfig({}, "/srv"))).toBe("/srv/data/audit-archive");
    expect(() => loadServiceConfig({ KEYWARD_AUDIT_PARTITION_DAYS: "0" }, "/srv")).toThrow(/KEYWARD_AUDIT_PARTITION_DAYS/);
    expect(() => loadServiceConfig({ KEYWARD_AUDIT_PARTITION_DAYS: "32" }, "/srv")).toThrow(/KEYWARD_AUDIT_PARTITION_DAYS/);
    expect(() => loadServiceConfig({ KEYWARD_AUDIT_HOT_DAYS: "-1" }, "/srv")).toThrow(/KEYWARD_AUDIT_HOT_DAYS/);
    expect(() => loadServiceConfig({ KEYWARD_AUDIT_HOT_DAYS: "ninety" }, "/srv")).toThrow(/KEYWARD_AUDIT_HOT_DAYS/);
  });

  it("reads the credential test settings: on by default, off, and base URLs per provider; names a malformed list", () => {
    expect(loadServiceConfig({ KEYWARD_CREDENTIAL_TESTS: "off" }, "/x").credentialTests).toEqual({ enabled: false, baseUrls: {} });
    expect(loadServiceConfig({ KEYWARD_CREDENTIAL_TEST_URLS: "openai=https://llm-proxy.internal/v1,github=https://ghe.example.com/api/v3" }, "/x").credentialTests).toEqual({
      enabled: true,
      baseUrls: { openai: "https://llm-proxy.internal/v1", github: "https://ghe.example.com/api/v3" },
    });
    expect(configError({ KEYWARD_CREDENTIAL_TEST_URLS: "openai=ftp://x" }).field).toBe("KEYWARD_CREDENTIAL_TEST_URLS");
    expect(configError({ KEYWARD_CREDENTIAL_TEST_URLS: "openai" }).message).toMatch(/KEYWARD_CREDENTIAL_TEST_URLS must match pattern/);
    expect(configError({ KEYWARD_CREDENTIAL_TESTS: "maybe" }).field).toBe("KEYWARD_CREDENTIAL_TESTS");
  });

  it("refuses a credential test base URL over plain http to a host that is not loopback, naming the variable and not the URL's credentials", () => {
    for (const value of ["openai=http://llm-proxy.internal/v1", "github=https://ghe.example.com/api/v3,stripe=http://user:Pr0xyPassw0rd99@stripe-proxy.example.com", "anthropic=http://10.0.0.5:8080"]) {
      const error = configError({ KEYWARD_CREDENTIAL_TEST_URLS: value });
      expect(error.field).toBe("KEYWARD_CREDENTIAL_TEST_URLS");
      expect(error.message).toMatch(/KEYWARD_CREDENTIAL_TEST_URLS: the (openai|stripe|anthropic) URL must use https \(plain http is allowed only on loopback/);
      expect(error.message).not.toContain("Pr0xyPassw0rd99");
      expect(error.message).not.toContain("user:");
    }
    // Loopback over http (a provider on this machine, as in tests) and https anywhere still pass.
    expect(loadServiceConfig({ KEYWARD_CREDENTIAL_TEST_URLS: "openai=http://127.0.0.1:4010/v1,gcp-token=http://localhost:9/token,stripe=http://[::1]:8/,github=https://ghe.example.com/api/v3" }, "/x").credentialTests.baseUrls).toEqual({
      openai: "http://127.0.0.1:4010/v1",
      "gcp-token": "http://localhost:9/token",
      stripe: "http://[::1]:8/",
      github: "https://ghe.example.com/api/v3",
    });
  });

  it("treats blank values as unset", () => {
    expect(loadServiceConfig({ KEYWARD_GRPC_PORT: "", DATABASE_URL: "  " }, "/x")).toMatchObject({ grpcPort: 50051, databaseUrl: undefined });
  });

  it("names each bad setting with its fix", () => {
    const port = configError({ KEYWARD_GRPC_PORT: "70000" });
    expect(port.code).toBe("config");
    expect(port.field).toBe("KEYWARD_GRPC_PORT");
    expect(port.message).toMatch(/KEYWARD_GRPC_PORT must be <= 65535 \(got "70000"\): set it to gRPC port from 0 to 65535/);
    expect(configError({ KEYWARD_HTTP_PORT: "http" }).message).toMatch(/KEYWARD_HTTP_PORT must be integer \(got "http"\)/);
    expect(configError({ DATABASE_URL: "mysql://x" }).message).toMatch(/DATABASE_URL must match pattern .*: set it to PostgreSQL connection string, e.g. postgres:\/\//);
    expect(configError({ KEYWARD_LOG_LEVEL: "loud" }).message).toMatch(/KEYWARD_LOG_LEVEL must be equal to one of the allowed values \(got "loud"\): set it to one of fatal, error/);
    expect(configError({ KEYWARD_SHUTDOWN_TIMEOUT_MS: "-1" }).message).toMatch(/KEYWARD_SHUTDOWN_TIMEOUT_MS must be >= 0/);
    expect(configError({ KEYWARD_BOOTSTRAP_TOKEN_OUTPUT: "stdout" }).message).toMatch(/KEYWARD_BOOTSTRAP_TOKEN_OUTPUT must be equal to one of the allowed values \(got "stdout"\): set it to where the first start's owner token goes: auto/);
    expect(configError({ KEYWARD_PASSPHRASE_SCRYPT_N: "100000" }).message).toMatch(/KEYWARD_PASSPHRASE_SCRYPT_N must be equal to one of the allowed values \(got "100000"\): set it to scrypt cost .* a power of two from 16384 to 1048576/);
  });

  it("reports every bad variable at once", () => {
    const e = configError({ KEYWARD_GRPC_PORT: "x", KEYWARD_HTTP_PORT: "99999", KEYWARD_LOG_LEVEL: "loud" });
    expect(e.message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(3);
  });

  it("never echoes a key or a database URL (which may hold a password)", () => {
    const key = "not-a-key-but-secret-looking-Zm9vYmFy";
    const e = configError({ KEYWARD_MASTER_KEY: key, KEYWARD_AUDIT_KEY: "short", DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(e.message).toContain("KEYWARD_MASTER_KEY must match pattern");
    expect(e.message).toContain("openssl rand -base64 32");
    expect(e.message).toContain("KEYWARD_AUDIT_KEY");
    expect(e.message).not.toContain(key);
    expect(e.message).not.toContain("short");
    expect(e.message).not.toContain("hunter2");
    const pass = configError({ KEYWARD_MASTER_PASSPHRASE: "tiny-pass" });
    expect(pass.message).toMatch(/KEYWARD_MASTER_PASSPHRASE must NOT have fewer than 12 characters: set it to/);
    expect(pass.message).not.toContain("tiny-pass");
  });

  it("accepts a well-formed base64 key", () => {
    expect(() => loadServiceConfig({ KEYWARD_MASTER_KEY: Buffer.alloc(32, 7).toString("base64") }, "/x")).not.toThrow();
  });

  it("documents every variable in the schema", () => {
    for (const [name, prop] of Object.entries(serviceEnvSchema.properties as Record<string, { description?: string }>)) {
      expect(prop.description, name).toMatch(/\w+/);
    }
  });

  it("checks secret names", () => {
    expect(secretNameProblem("STRIPE_API_KEY")).toBeUndefined();
    expect(secretNameProblem("")).toMatch(/empty/);
    expect(secretNameProblem("x".repeat(200))).toMatch(/limit is 128/);
    expect(secretNameProblem("drop table;")).toMatch(/upper snake case/);
  });

  it("reads the admin API's CORS, body limit and OIDC settings", () => {
    const c = loadServiceConfig(
      {
        KEYWARD_CORS_ORIGINS: "https://admin.example.com, http://localhost:5173",
        KEYWARD_MAX_BODY_BYTES: "65536",
        KEYWARD_OIDC_JWKS_URL: "https://id.example.com/jwks.json",
        KEYWARD_OIDC_ISSUER: "https://id.example.com/",
        KEYWARD_OIDC_AUDIENCE: "keyward",
        KEYWARD_OIDC_ROLE_CLAIM: "realm_access.roles",
        KEYWARD_OIDC_ROLE_MAP: "secrets-admins=admin, auditors=auditor",
        KEYWARD_OIDC_MAX_TOKEN_AGE: "900",
      },
      "/x",
    );
    expect(c.corsOrigins).toEqual(["https://admin.example.com", "http://localhost:5173"]);
    expect(c.maxBodyBytes).toBe(65536);
    expect(c.oidc).toEqual({
      jwksUrl: "https://id.example.com/jwks.json",
      issuer: "https://id.example.com/",
      audience: "keyward",
      maxTokenAgeSeconds: 900,
      roleClaim: "realm_access.roles",
      roleMap: { "secrets-admins": "admin", auditors: "auditor" },
    });
    expect(loadServiceConfig({ KEYWARD_CORS_ORIGINS: "*" }, "/x").corsOrigins).toBe("*");
  });

  it("refuses malformed CORS origins and unknown roles in the role map", () => {
    expect(configError({ KEYWARD_CORS_ORIGINS: "admin.example.com" }).message).toMatch(/KEYWARD_CORS_ORIGINS .*comma-separated/);
    expect(configError({ KEYWARD_OIDC_ISSUER: "https://id/", KEYWARD_OIDC_AUDIENCE: "k", KEYWARD_OIDC_ROLE_MAP: "group=superuser" }).message).toMatch(/KEYWARD_OIDC_ROLE_MAP .*secrets-admins=admin/);
    expect(configError({ KEYWARD_OIDC_ISSUER: "https://id/", KEYWARD_OIDC_AUDIENCE: "k", KEYWARD_OIDC_ROLE_MAP: "a=admin,a=viewer" })).toMatchObject({ field: "KEYWARD_OIDC_ROLE_MAP", message: expect.stringContaining('KEYWARD_OIDC_ROLE_MAP maps "a" more than once') });
    expect(configError({ KEYWARD_MAX_BODY_BYTES: "10" }).message).toMatch(/KEYWARD_MAX_BODY_BYTES must be >= 1024/);
  });

  describe("OIDC", () => {
    const base = { KEYWARD_OIDC_ISSUER: "https://id.example.com", KEYWARD_OIDC_AUDIENCE: "keyward-console" };

    it("needs the issuer and the audience whenever any OIDC variable is set, naming the missing one", () => {
      const noAudience = configError({ KEYWARD_OIDC_JWKS_URL: "https://id.example.com/jwks", KEYWARD_OIDC_ISSUER: "https://id.example.com" });
      expect(noAudience.field).toBe("KEYWARD_OIDC_AUDIENCE");
      expect(noAudience.message).toMatch(/KEYWARD_OIDC_AUDIENCE is missing: OIDC sign-in \(turned on by KEYWARD_OIDC_ISSUER, KEYWARD_OIDC_JWKS_URL\)/);
      const noIssuer = configError({ KEYWARD_OIDC_JWKS_URL: "https://id.example.com/jwks", KEYWARD_OIDC_AUDIENCE: "keyward" });
      expect(noIssuer.field).toBe("KEYWARD_OIDC_ISSUER");
      expect(noIssuer.message).toMatch(/KEYWARD_OIDC_ISSUER is missing/);
      const neither = configError({ KEYWARD_OIDC_ROLE_CLAIM: "groups" });
      expect(neither.field).toBe("KEYWARD_OIDC_ISSUER");
      expect(neither.message).toMatch(/KEYWARD_OIDC_ISSUER and KEYWARD_OIDC_AUDIENCE are missing: .*turned on by KEYWARD_OIDC_ROLE_CLAIM/);
      expect(configError({ KEYWARD_OIDC_MAX_TOKEN_AGE: "600" }).field).toBe("KEYWARD_OIDC_ISSUER");
    });

    it("discovers the JWKS when no JWKS URL is set, and bounds the token age", () => {
      expect(loadServiceConfig(base, "/x").oidc).toEqual({ issuer: "https://id.example.com", audience: "keyward-console" });
      expect(configError({ ...base, KEYWARD_OIDC_MAX_TOKEN_AGE: "86401" }).message).toMatch(/KEYWARD_OIDC_MAX_TOKEN_AGE must be <= 86400 .*default 3600/);
      expect(configError({ ...base, KEYWARD_OIDC_MAX_TOKEN_AGE: "10" }).field).toBe("KEYWARD_OIDC_MAX_TOKEN_AGE");
    });

    it("refuses a JWKS URL or an issuer over plain http, except on loopback", () => {
      const jwks = configError({ ...base, KEYWARD_OIDC_JWKS_URL: "http://id.example.com/jwks.json" });
      expect(jwks.field).toBe("KEYWARD_OIDC_JWKS_URL");
      expect(jwks.message).toMatch(/KEYWARD_OIDC_JWKS_URL must use https \(plain http is allowed only on loopback/);
      for (const host of ["10.0.0.8", "127.0.0.1.nip.io", "localhost.example.com", "[::2]"]) expect(configError({ ...base, KEYWARD_OIDC_JWKS_URL: `http://${host}/jwks.json` }).field, host).toBe("KEYWARD_OIDC_JWKS_URL");
      expect(configError({ ...base, KEYWARD_OIDC_JWKS_URL: "ftp://id.example.com/jwks" }).message).toMatch(/KEYWARD_OIDC_JWKS_URL must match pattern/);
      const issuer = configError({ KEYWARD_OIDC_ISSUER: "http://id.example.com", KEYWARD_OIDC_AUDIENCE: "k" });
      expect(issuer.field).toBe("KEYWARD_OIDC_ISSUER");
      expect(issuer.message).toMatch(/KEYWARD_OIDC_ISSUER must use https/);
      for (const host of ["127.0.0.1:9000", "localhost:9000", "[::1]:9000", "127.8.9.10"]) {
        const c = loadServiceConfig({ KEYWARD_OIDC_ISSUER: `http://${host}`, KEYWARD_OIDC_AUDIENCE: "k", KEYWARD_OIDC_JWKS_URL: `http://${host}/jwks` }, "/x");
        expect(c.oidc?.jwksUrl).toBe(`http://${host}/jwks`);
      }
    });

    it("reads the console's client, which must be the audience, with scopes that include openid", () => {
      const c = loadServiceConfig({ ...base, KEYWARD_OIDC_CLIENT_ID: "keyward-console", KEYWARD_OIDC_SCOPES: "openid  email groups", KEYWARD_OIDC_PROVIDER_NAME: "Okta" }, "/x");
      expect(c.oidc?.console).toEqual({ clientId: "keyward-console", scopes: ["openid", "email", "groups"], providerName: "Okta" });
      expect(loadServiceConfig({ ...base, KEYWARD_OIDC_CLIENT_ID: "keyward-console" }, "/x").oidc?.console).toEqual({ clientId: "keyward-console" });
      const other = configError({ ...base, KEYWARD_OIDC_CLIENT_ID: "console-app" });
      expect(other.field).toBe("KEYWARD_OIDC_AUDIENCE");
      expect(other.message).toMatch(/differs from KEYWARD_OIDC_CLIENT_ID .*set KEYWARD_OIDC_AUDIENCE=console-app/);
      expect(configError({ ...base, KEYWARD_OIDC_CLIENT_ID: "keyward-console", KEYWARD_OIDC_SCOPES: "email profile" }).message).toMatch(/KEYWARD_OIDC_SCOPES must include openid/);
      expect(configError({ ...base, KEYWARD_OIDC_CLIENT_ID: "keyward-console", KEYWARD_OIDC_SCOPES: 'openid "x"' }).field).toBe("KEYWARD_OIDC_SCOPES");
      expect(configError({ ...base, KEYWARD_OIDC_PROVIDER_NAME: "Okta" }).message).toMatch(/KEYWARD_OIDC_PROVIDER_NAME is for the console's sign-in, which needs KEYWARD_OIDC_CLIENT_ID/);
    });
  });

  it("reads gRPC TLS file paths and the rate limit, and names a half-configured TLS", () => {
    const c = loadServiceConfig({ KEYWARD_GRPC_TLS_CERT_FILE: "tls/server.crt", KEYWARD_GRPC_TLS_KEY_FILE: "/etc/k/server.key", KEYWARD_GRPC_TLS_CLIENT_CA_FILE: "ca.pem", KEYWARD_GRPC_RATE_LIMIT: "50" }, "/srv");
    expect(c.grpcTls).toEqual({ certFile: "/srv/tls/server.crt", keyFile: "/etc/k/server.key", clientCaFile: "/srv/ca.pem" });
    expect(c.grpcRateLimitPerSecond).toBe(50);
    expect(configError({ KEYWARD_GRPC_TLS_CERT_FILE: "a.crt" }).message).toMatch(/KEYWARD_GRPC_TLS_KEY_FILE is missing/);
    expect(configError({ KEYWARD_GRPC_TLS_CLIENT_CA_FILE: "ca.pem" }).message).toMatch(/needs TLS/);
    expect(configError({ KEYWARD_GRPC_RATE_LIMIT: "0" }).message).toMatch(/KEYWARD_GRPC_RATE_LIMIT/);
  });

  it("reads the admin API's HTTPS file paths, and names a half-configured HTTPS", () => {
    expect(loadServiceConfig({}, "/srv").httpTls).toBeUndefined();
    const c = loadServiceConfig({ KEYWARD_HTTP_TLS_CERT_FILE: "tls/server.crt", KEYWARD_HTTP_TLS_KEY_FILE: "/etc/k/server.key" }, "/srv");
    expect(c.httpTls).toEqual({ certFile: "/srv/tls/server.crt", keyFile: "/etc/k/server.key" });
    expect(configError({ KEYWARD_HTTP_TLS_CERT_FILE: "a.crt" })).toMatchObject({ field: "KEYWARD_HTTP_TLS_KEY_FILE", message: expect.stringMatching(/KEYWARD_HTTP_TLS_KEY_FILE is missing: HTTPS for the admin API needs both/) });
    expect(configError({ KEYWARD_HTTP_TLS_KEY_FILE: "a.key" })).toMatchObject({ field: "KEYWARD_HTTP_TLS_CERT_FILE" });
  });

  it("reads KEYWARD_ALLOW_INSECURE as 1/true or 0/false, off by default, and names anything else", () => {
    expect(loadServiceConfig({}, "/x").allowInsecure).toBe(false);
    for (const on of ["1", "true"]) expect(loadServiceConfig({ KEYWARD_ALLOW_INSECURE: on }, "/x").allowInsecure).toBe(true);
    for (const off of ["0", "false", " "]) expect(loadServiceConfig({ KEYWARD_ALLOW_INSECURE: off }, "/x").allowInsecure).toBe(false);
    expect(configError({ KEYWARD_ALLOW_INSECURE: "yes" }).message).toMatch(/KEYWARD_ALLOW_INSECURE must be equal to one of the allowed values \(got "yes"\): set it to 1 \(or true\) to let the service listen on a non-loopback KEYWARD_HOST/);
  });

  it("prepares statements by default; KEYWARD_DATABASE_PREPARED_STATEMENTS 0/false turns it off, and anything else is named", () => {
    expect(loadServiceConfig({}, "/x").databasePreparedStatements).toBe(true);
    for (const on of ["1", "true", " "]) expect(loadServiceConfig({ KEYWARD_DATABASE_PREPARED_STATEMENTS: on }, "/x").databasePreparedStatements).toBe(true);
    for (const off of ["0", "false"]) expect(loadServiceConfig({ KEYWARD_DATABASE_PREPARED_STATEMENTS: off }, "/x").databasePreparedStatements).toBe(false);
    expect(configError({ KEYWARD_DATABASE_PREPARED_STATEMENTS: "off" }).message).toMatch(/KEYWARD_DATABASE_PREPARED_STATEMENTS must be equal to one of the allowed values \(got "off"\): set it to 0 \(or false\) to stop preparing the hot statements/);
  });

  it("reads the cache max age and the change heartbeat, and names them when out of range", () => {
    expect(loadServiceConfig({ KEYWARD_CACHE_MAX_AGE_MS: "2000", KEYWARD_CHANGES_HEARTBEAT_MS: "300" }, "/srv")).toMatchObject({ cacheMaxAgeMs: 2000, changesHeartbeatMs: 300 });
    const age = configError({ KEYWARD_CACHE_MAX_AGE_MS: "0" });
    expect(age.field).toBe("KEYWARD_CACHE_MAX_AGE_MS");
    expect(age.message).toMatch(/KEYWARD_CACHE_MAX_AGE_MS must be >= 100 \(got "0"\): set it to how long a replica may answer from its in-memory cache/);
    expect(configError({ KEYWARD_CHANGES_HEARTBEAT_MS: "soon" }).message).toMatch(/KEYWARD_CHANGES_HEARTBEAT_MS must be integer \(got "soon"\): set it to PostgreSQL: how often/);
  });

  it("reads the cache's entry bound, and names it when out of range or not a whole number", () => {
    expect(loadServiceConfig({ KEYWARD_CACHE_MAX_ENTRIES: "250000" }, "/srv")).toMatchObject({ cacheMaxEntries: 250_000 });
    const small = configError({ KEYWARD_CACHE_MAX_ENTRIES: "10" });
    expect(small.field).toBe("KEYWARD_CACHE_MAX_ENTRIES");
    expect(small.message).toMatch(/KEYWARD_CACHE_MAX_ENTRIES must be >= 100 \(got "10"\): set it to the most entries each of a replica's in-memory caches/);
    expect(configError({ KEYWARD_CACHE_MAX_ENTRIES: "1e4x" }).message).toMatch(/KEYWARD_CACHE_MAX_ENTRIES must be integer \(got "1e4x"\)/);
  });

  it("reads the audit fold window (0 is off), and names it when out of range or not a whole number", () => {
    expect(loadServiceConfig({ KEYWARD_AUDIT_FOLD_READS_MS: "1000" }, "/srv")).toMatchObject({ auditFoldReadsMs: 1000 });
    expect(loadServiceConfig({ KEYWARD_AUDIT_FOLD_READS_MS: "0" }, "/srv")).toMatchObject({ auditFoldReadsMs: 0 });
    const long = configError({ KEYWARD_AUDIT_FOLD_READS_MS: "60001" });
    expect(long.field).toBe("KEYWARD_AUDIT_FOLD_READS_MS");
    expect(long.message).toMatch(/KEYWARD_AUDIT_FOLD_READS_MS must be <= 60000 \(got "60001"\): set it to milliseconds over which identical gRPC secret reads/);
    expect(configError({ KEYWARD_AUDIT_FOLD_READS_MS: "-1" }).message).toMatch(/KEYWARD_AUDIT_FOLD_READS_MS must be >= 0 \(got "-1"\)/);
    expect(configError({ KEYWARD_AUDIT_FOLD_READS_MS: "1s" }).message).toMatch(/KEYWARD_AUDIT_FOLD_READS_MS must be integer \(got "1s"\)/);
  });

  it("reads the cap on pending change requests per environment, and names it when out of range", () => {
    expect(loadServiceConfig({ KEYWARD_MAX_PENDING_CHANGE_REQUESTS: "25" }, "/srv")).toMatchObject({ maxPendingChangeRequests: 25 });
    const zero = configError({ KEYWARD_MAX_PENDING_CHANGE_REQUESTS: "0" });
    expect(zero.field).toBe("KEYWARD_MAX_PENDING_CHANGE_REQUESTS");
    expect(zero.message).toMatch(/KEYWARD_MAX_PENDING_CHANGE_REQUESTS must be >= 1 \(got "0"\): set it to change requests one environment may have pending/);
    expect(configError({ KEYWARD_MAX_PENDING_CHANGE_REQUESTS: "many" }).field).toBe("KEYWARD_MAX_PENDING_CHANGE_REQUESTS");
  });

  it("reads the KEK rotation policy (off by default) and names it when out of range", () => {
    expect(loadServiceConfig({}, "/srv").kekRotationDays).toBeUndefined();
    expect(loadServiceConfig({ KEYWARD_KEK_ROTATION_DAYS: "30" }, "/srv")).toMatchObject({ kekRotationDays: 30 });
    expect(configError({ KEYWARD_KEK_ROTATION_DAYS: "0" }).field).toBe("KEYWARD_KEK_ROTATION_DAYS");
    expect(configError({ KEYWARD_KEK_ROTATION_DAYS: "monthly" }).message).toMatch(/KEYWARD_KEK_ROTATION_DAYS must be integer/);
  });
});
