import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, SecretsConfigError } from "../../src/index.js";
import { makeTree } from "../fixtures/tree.js";

const schema = { properties: { STRIPE_API_KEY: { description: "Stripe" } } } as const;
const TOKEN = createServiceToken();

/** The SecretsConfigError that creating a client with these options throws. */
function configError(options: Parameters<typeof createSecretsClient>[1]): SecretsConfigError {
  try {
    void createSecretsClient(schema, options).close();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretsConfigError);
    return error as SecretsConfigError;
  }
  throw new Error("expected a SecretsConfigError");
}

describe("client configuration", () => {
  const base = { serviceName: "identity-service", token: TOKEN, env: {} };

  it("names each bad URL and says what it should be", () => {
    expect(configError({ ...base, url: "http://127.0.0.1:50051" }).message).toBe("options.url must be host:port of Keyward's gRPC API (e.g. 127.0.0.1:50051), not a http:// URL");
    expect(configError({ ...base, url: undefined, env: { KEYWARD_URL: "localhost" } })).toMatchObject({
      setting: "KEYWARD_URL",
      message: 'KEYWARD_URL must be host:port with a port from 1 to 65535 (e.g. 127.0.0.1:50051), got "localhost"',
    });
    expect(configError({ ...base, url: "127.0.0.1:70000" }).message).toMatch(/port from 1 to 65535/);
    expect(configError({ ...base, env: { KEYWARD_URL: " " } }).message).toBe("KEYWARD_URL is empty; set it to the host:port of Keyward's gRPC API, e.g. 127.0.0.1:50051");
  });

  it("accepts host:port, [v6]:port and grpc-js schemes", async () => {
    for (const url of ["keyward.internal:443", "[::1]:50051", "dns:///keyward:50051", "unix:///run/keyward.sock"]) await createSecretsClient(schema, { ...base, url, tls: url.startsWith("unix") || url.startsWith("[") ? false : true }).close();
  });

  it("sends the token in plaintext only on this machine, or when TLS was turned off on purpose", async () => {
    for (const url of ["keyward.internal:50051", "dns:///keyward.internal:50051", "dns://8.8.8.8/keyward:50051", "10.0.0.5:50051", "[fd00::5]:50051", "ipv4:127.0.0.1:1,10.0.0.5:2"]) {
      const error = configError({ ...base, url });
      expect(error.setting, url).toBe("KEYWARD_TLS");
      expect(error.message, url).toMatch(/^the service at \S+ is not on this machine and no TLS is configured, so the service token would travel in clear: set KEYWARD_TLS_CA_FILE .*KEYWARD_TLS=0 \(or tls: false\) sends it in plaintext on purpose/);
      expect(error.message).not.toContain(TOKEN);
    }
    expect(configError({ ...base, url: "keyward.internal:50051", tls: undefined }).message).toContain("the service at keyward.internal is not on this machine");
    for (const url of ["127.0.0.1:50051", "localhost:50051", "[::1]:50051", "dns:localhost:50051", "ipv4:127.0.0.1:1,127.0.0.2:2", "unix:///run/keyward.sock"]) await createSecretsClient(schema, { ...base, url }).close();
    await createSecretsClient(schema, { ...base, url: "keyward.internal:50051", tls: false }).close();
    await createSecretsClient(schema, { ...base, url: "keyward.internal:50051", env: { KEYWARD_TLS: "0" } }).close();
    await createSecretsClient(schema, { ...base, url: "keyward.internal:50051", env: { KEYWARD_TLS: "1" } }).close();
  });

  it("rejects a malformed token without echoing it", () => {
    const bad = "kws_not-a-real-token-but-secret-ish";
    for (const [options, setting] of [
      [{ ...base, token: bad }, "options.token"],
      [{ serviceName: "svc", env: { KEYWARD_TOKEN: bad } }, "KEYWARD_TOKEN"],
    ] as const) {
      const err = configError(options);
      expect(err.setting).toBe(setting);
      expect(err.message).toBe(`${setting} is not a Keyward service token (kws_ followed by 43 base64url characters)`);
      expect(err.message).not.toContain(bad);
    }
  });

  it("refuses ambiguous token settings", () => {
    expect(configError({ serviceName: "svc", env: { KEYWARD_TOKEN: TOKEN, KEYWARD_TOKEN_FILE: "/tmp/x" } }).message).toBe("set KEYWARD_TOKEN or KEYWARD_TOKEN_FILE, not both");
    expect(configError({ serviceName: "svc", token: TOKEN, tokenFile: "/tmp/x", env: {} }).message).toBe("give options.token or options.tokenFile, not both");
  });

  it("reads the token from KEYWARD_TOKEN_FILE, creating it with mode 0600, and names a broken file", async () => {
    const tree = makeTree();
    const file = path.join(tree.root, "tokens/service-token");
    await createSecretsClient(schema, { serviceName: "svc", env: { KEYWARD_TOKEN_FILE: file } }).close();
    expect(fs.readFileSync(file, "utf8")).toMatch(/^kws_[A-Za-z0-9_-]{43}\n$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    tree.write("broken-token", "not a token\n");
    const err = configError({ serviceName: "svc", env: { KEYWARD_TOKEN_FILE: tree.at("broken-token") } });
    expect(err.setting).toBe("KEYWARD_TOKEN_FILE");
    expect(err.message).toMatch(/does not hold a Keyward service token/);
    expect(err.message).not.toContain("not a token");
  });

  it("requires a valid service name, from options or KEYWARD_SERVICE_NAME", async () => {
    expect(configError({ token: TOKEN, env: {} }).message).toBe("serviceName is required: pass options.serviceName or set KEYWARD_SERVICE_NAME, e.g. identity-service");
    expect(configError({ token: TOKEN, env: { KEYWARD_SERVICE_NAME: "Identity Service" } }).setting).toBe("KEYWARD_SERVICE_NAME");
    await createSecretsClient(schema, { token: TOKEN, env: { KEYWARD_SERVICE_NAME: "identity-service" } }).close();
  });

  it("names bad numbers and inconsistent limits", () => {
    expect(configError({ ...base, timeoutMs: 0 }).message).toBe("options.timeoutMs must be a whole number of at least 1, got 0");
    expect(configError({ ...base, retry: { maxAttempts: 1.5 } }).setting).toBe("options.retry.maxAttempts");
    expect(configError({ ...base, cache: { ttlMs: -1 } }).setting).toBe("options.cache.ttlMs");
    expect(configError({ ...base, cache: { ttlMs: 1000, refreshAheadMs: 2000 } }).message).toBe("options.cache.refreshAheadMs (2000) may not exceed options.cache.ttlMs (1000)");
    expect(configError({ ...base, retry: { baseMs: 500, maxMs: 100 } }).message).toBe("options.retry.baseMs (500) may not exceed options.retry.maxMs (100)");
    expect(configError({ ...base, circuitBreaker: { failureThreshold: 0 } }).setting).toBe("options.circuitBreaker.failureThreshold");
  });

  it("takes the mode from options or KEYWARD_MODE and names a bad one", () => {
    expect(configError({ env: { KEYWARD_MODE: "vault" } }).message).toBe('KEYWARD_MODE must be "keyward" or "env", got "vault"');
    // env mode needs neither a token nor a service name.
    expect(() => createSecretsClient(schema, { env: { KEYWARD_MODE: "env" }, envFile: "/nonexistent/.env" })).not.toThrow();
  });
});
