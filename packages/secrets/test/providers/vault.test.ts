// Vault specifics the contract does not cover: configuration checked up front, AppRole and
// Kubernetes logins, namespaces, renewal and re-login, field selection, Retry-After, sealed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, SecretsConfigError, type SecretsClientOptions } from "../../src/index.js";
import { vault, type VaultOptions } from "../../src/providers/vault/index.js";
import { errorOf } from "../support/errors.js";
import { makeTree } from "../fixtures/tree.js";
import { startFakeVault, type FakeVault } from "../fixtures/vault-server.js";

const schema = {
  properties: {
    API_KEY: { description: "API key" },
    DB_PASSWORD: { description: "Database password" },
  },
} as const;

let server: FakeVault;
beforeAll(async () => {
  server = await startFakeVault();
});
afterAll(async () => {
  await server?.close();
});

const sleeps: number[] = [];
const clientOf = (options: Partial<VaultOptions>, client: Partial<SecretsClientOptions> = {}) =>
  createSecretsClient(schema, {
    provider: vault({ address: server.address, auth: { method: "token", token: server.rootToken }, ...options } as VaultOptions),
    sleep: async (ms) => void sleeps.push(ms),
    retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
    cache: false,
    ...client,
  });
const configError = (options: unknown): SecretsConfigError => {
  try {
    vault(options as VaultOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretsConfigError);
    return error as SecretsConfigError;
  }
  throw new Error("expected a SecretsConfigError");
};

describe("vault configuration", () => {
  it("names every missing field at once", () => {
    const error = configError({});
    expect(error.setting).toBe("vault");
    expect(error.message).toContain("2 problems");
    expect(error.message).toContain("vault.address is required");
    expect(error.message).toContain("vault.auth is required");
  });

  it("names every wrong field, and never echoes a credential", () => {
    const error = configError({ address: "ftp://vault.local", mount: "", namespace: "", field: "", concurrency: 0, naming: { template: "apps/x", case: "upper", prefix: "y" }, auth: { method: "approle", roleId: "role-123" } });
    for (const part of ["vault.address must be an http:// or https:// URL", "vault.mount", "vault.namespace is empty", "vault.field", "vault.concurrency", "vault.naming.template must be a string containing {name}", "vault.naming.case", "vault.naming.prefix is not an option", "vault.auth.secretId is required"]) {
      expect(error.message).toContain(part);
    }
    expect(error.message).not.toContain("vault.auth.roleId");
    const secretId = "s.very-secret-id-123";
    const token = "hvs.top-secret-token";
    expect(configError({ address: "not a url", auth: { method: "approle", roleId: "", secretId } }).message).not.toContain(secretId);
    expect(configError({ address: "not a url", auth: { method: "token", token } }).message).not.toContain(token);
    expect(configError({ address: "http://v", auth: { method: "ldap" } }).message).toContain('vault.auth.method must be "token", "approle" or "kubernetes", got "ldap"');
    expect(configError({ address: "http://v", auth: { method: "kubernetes" } }).message).toContain("vault.auth.role is required");
  });

  it("a provider that is not a SecretProvider is refused by the client, naming what it lacks", () => {
    expect(() => createSecretsClient(schema, { provider: { kind: "vault" } as never })).toThrow("options.provider is not a SecretProvider: it lacks fetch, health, close");
    expect(() => createSecretsClient(schema, { provider: "vault" as never })).toThrow('options.provider must be "keyward", "env" or a SecretProvider');
    expect(() => createSecretsClient(schema, { provider: "env", mode: "keyward" })).toThrow("give options.provider or options.mode (deprecated), not both");
  });
});

describe("vault auth", () => {
  it("AppRole in a namespace: logs in, sends X-Vault-Namespace, reads the namespace's KV", async () => {
    server.addAppRole("role-billing", "secret-id-billing", { namespace: "admin" });
    server.put("API_KEY", { value: "ns-admin-key-1" }, { namespace: "admin" });
    server.put("API_KEY", { value: "root-ns-key-1" });
    const from = server.requests.length;
    const client = clientOf({ namespace: "admin", auth: { method: "approle", roleId: "role-billing", secretId: "secret-id-billing" } });
    expect(await client.getSecret("API_KEY")).toBe("ns-admin-key-1");
    const calls = server.requests.slice(from);
    expect(calls.map((r) => `${r.method} ${r.path} ns=${r.namespace}`)).toEqual(["POST /v1/auth/approle/login ns=admin", "GET /v1/secret/data/API_KEY ns=admin"]);
    expect((await client.health()).status).toBe("healthy");
    await client.close();
  });

  it("token and Kubernetes auth in a namespace (HCP): X-Vault-Namespace on the login, every read and the token lookup", async () => {
    server.put("DB_PASSWORD", { value: "ns-admin-db-1" }, { namespace: "admin" });
    server.put("DB_PASSWORD", { value: "root-ns-db-1" });
    let from = server.requests.length;
    const byToken = clientOf({ namespace: "admin" });
    expect(await byToken.getSecret("DB_PASSWORD")).toBe("ns-admin-db-1");
    expect((await byToken.health()).status).toBe("healthy");
    const seen = (since: number) => server.requests.slice(since).filter((r) => !r.path.startsWith("/v1/sys/health")).map((r) => `${r.method} ${r.path} ns=${r.namespace}`);
    expect(seen(from)).toEqual(["GET /v1/secret/data/DB_PASSWORD ns=admin", "GET /v1/auth/token/lookup-self ns=admin"]);
    await byToken.close();

    const jwt = "eyJhbGciOiJSUzI1NiJ9.k8s-ns-jwt.signature";
    server.addKubernetesRole("billing-ns", jwt);
    from = server.requests.length;
    const byK8s = clientOf({ namespace: "admin", auth: { method: "kubernetes", role: "billing-ns", jwtFile: makeTree({ token: jwt }).at("token") } });
    expect(await byK8s.getSecret("DB_PASSWORD")).toBe("ns-admin-db-1");
    expect(seen(from)).toEqual(["POST /v1/auth/kubernetes/login ns=admin", "GET /v1/secret/data/DB_PASSWORD ns=admin"]);
    await byK8s.close();
  });

  it("a refused AppRole login is unauthenticated, not retried, and names neither role secret", async () => {
    sleeps.length = 0;
    const client = clientOf({ namespace: "admin", auth: { method: "approle", roleId: "role-billing", secretId: "wrong-secret-id-42" } });
    const error = await errorOf(client.getSecret("API_KEY"));
    expect(error).toMatchObject({ reason: "unauthenticated", secretName: "API_KEY" });
    expect(error.message).toContain("Vault refused the approle login (400: invalid role or secret ID)");
    expect(error.message).not.toContain("wrong-secret-id-42");
    expect(sleeps).toEqual([]);
    const health = await client.health();
    expect(health.status).toBe("unavailable");
    expect(health.reason).not.toContain("wrong-secret-id-42");
  });

  it("Kubernetes: reads the service account JWT file at login; a missing file is invalid_config naming it", async () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.k8s-jwt-body.signature";
    const tree = makeTree({ token: `${jwt}\n` });
    server.addKubernetesRole("billing", jwt);
    server.put("DB_PASSWORD", { value: "k8s-db-password-1" });
    const client = clientOf({ auth: { method: "kubernetes", role: "billing", jwtFile: tree.at("token") } });
    expect(await client.getSecret("DB_PASSWORD")).toBe("k8s-db-password-1");
    const missing = clientOf({ auth: { method: "kubernetes", role: "billing", jwtFile: tree.at("absent") } });
    const error = await errorOf(missing.getSecret("DB_PASSWORD"));
    expect(error).toMatchObject({ reason: "invalid_config" });
    expect(error.message).toContain(`cannot read the Kubernetes service account token ${tree.at("absent")} (ENOENT)`);
    const wrongJwt = makeTree({ token: "another.jwt.value" });
    const refused = await errorOf(clientOf({ auth: { method: "kubernetes", role: "billing", jwtFile: wrongJwt.at("token") } }).getSecret("DB_PASSWORD"));
    expect(refused.reason).toBe("unauthenticated");
    expect(refused.message).not.toContain(jwt);
  });

  it("logs in again when Vault refuses a token whose lease has ended, and retries the read once", async () => {
    server.addAppRole("role-relogin", "secret-relogin");
    server.put("API_KEY", { value: "relogin-key-1" });
    const client = clientOf({ auth: { method: "approle", roleId: "role-relogin", secretId: "secret-relogin" } });
    expect(await client.getSecret("API_KEY")).toBe("relogin-key-1");
    server.expireLoginTokens();
    const from = server.requests.length;
    expect(await client.getSecret("API_KEY")).toBe("relogin-key-1");
    expect(server.requests.slice(from).map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v1/secret/data/API_KEY",
      "GET /v1/auth/token/lookup-self",
      "POST /v1/auth/approle/login",
      "GET /v1/secret/data/API_KEY",
    ]);
  });

  it("renews a renewable token past two thirds of its lease, and logs in again once the lease is over", async () => {
    let now = 5_000_000;
    server.tokenTtl(60);
    server.addAppRole("role-renew", "secret-renew");
    server.put("API_KEY", { value: "renew-key-1" });
    const client = clientOf({ now: () => now, auth: { method: "approle", roleId: "role-renew", secretId: "secret-renew" } });
    const paths = async () => {
      const from = server.requests.length;
      expect(await client.getSecret("API_KEY")).toBe("renew-key-1");
      return server.requests.slice(from).map((r) => r.path);
    };
    expect(await paths()).toEqual(["/v1/auth/approle/login", "/v1/secret/data/API_KEY"]);
    now += 30_000;
    expect(await paths()).toEqual(["/v1/secret/data/API_KEY"]);
    now += 11_000;
    expect(await paths()).toEqual(["/v1/auth/token/renew-self", "/v1/secret/data/API_KEY"]);
    now += 61_000;
    expect(await paths()).toEqual(["/v1/auth/approle/login", "/v1/secret/data/API_KEY"]);
    server.tokenTtl(3600);
  });

  it("a refused static token is unauthenticated (not a per-secret denial) and never shown", async () => {
    const token = "hvs.not-a-real-token-0042";
    const client = clientOf({ auth: { method: "token", token } });
    const error = await errorOf(client.getSecret("API_KEY"));
    expect(error).toMatchObject({ reason: "unauthenticated" });
    expect(error.message).not.toContain(token);
    const health = await client.health();
    expect(health).toMatchObject({ status: "unavailable" });
    expect(health.reason).toContain("Vault refused the token credentials");
  });
});

describe("vault reads", () => {
  it("reads the configured field, or the field a path names after #", async () => {
    server.put("apps/db", { username: "billing", password: "field-pw-1", secret_value: "field-key-1" });
    const client = clientOf({ field: "secret_value", naming: (name) => (name === "DB_PASSWORD" ? "apps/db#password" : "apps/db") });
    expect(await client.getSecrets()).toEqual({ API_KEY: "field-key-1", DB_PASSWORD: "field-pw-1" });
    const noField = clientOf({ naming: () => "apps/db" });
    expect((await errorOf(noField.getSecret("API_KEY"))).message).toBe("cannot fetch secret API_KEY: secret_missing: vault has nothing at apps/db");
  });

  it("waits at least Vault's Retry-After before retrying a 429 (up to retry.maxMs)", async () => {
    server.put("API_KEY", { value: "throttled-key-1" });
    sleeps.length = 0;
    server.throttleNext(1, 2);
    expect(await clientOf({}, { retry: { maxAttempts: 3, baseMs: 1, maxMs: 5000 } }).getSecret("API_KEY")).toBe("throttled-key-1");
    expect(sleeps).toEqual([2000]);
  });

  it("a sealed Vault is unavailable for reads (retried) and for health", async () => {
    server.seal(true);
    sleeps.length = 0;
    const client = clientOf({});
    const error = await errorOf(client.getSecret("API_KEY"));
    expect(error).toMatchObject({ reason: "unavailable" });
    expect(error.message).toContain("Vault is sealed");
    expect(sleeps).toHaveLength(2);
    expect(await client.health()).toEqual({ status: "unavailable", reason: "Vault is sealed" });
    server.seal(false);
  });

  it("an unreachable address is unavailable, for reads and health", async () => {
    const gone = await startFakeVault();
    await gone.close();
    const client = createSecretsClient(schema, { provider: vault({ address: gone.address, auth: { method: "token", token: "hvs.x" } }), retry: { maxAttempts: 1 }, cache: false });
    const error = await errorOf(client.getSecret("API_KEY"));
    expect(error.reason).toBe("unavailable");
    expect(error.message).toBe(`cannot fetch secret API_KEY from vault: unavailable: cannot reach Vault at ${gone.address} (ECONNREFUSED)`);
    expect((await client.health()).status).toBe("unavailable");
  });
});

describe("readVaultTree (keyward import --from vault)", () => {
  it("lists every entry below a prefix, recursively, with its fields; deleted ones are left out", async () => {
    const { readVaultTree } = await import("../../src/providers/vault/index.js");
    server.put("tree/billing/STRIPE_KEY", { value: "tree-stripe-1" });
    server.put("tree/billing/db/DB_URL", { value: "tree-db-1", user: "app" });
    server.put("tree/gone", { value: "x" });
    server.remove("tree/gone");
    const entries = await readVaultTree({ address: server.address, auth: { method: "token", token: server.rootToken } }, "tree/billing", { signal: AbortSignal.timeout(5000) });
    expect(entries).toEqual([
      { path: "STRIPE_KEY", fields: { value: "tree-stripe-1" } },
      { path: "db/DB_URL", fields: { value: "tree-db-1", user: "app" } },
    ]);
    expect(await readVaultTree({ address: server.address, auth: { method: "token", token: server.rootToken } }, "nothing/here", { signal: AbortSignal.timeout(5000) })).toEqual([]);
    server.deny("tree/billing/STRIPE_KEY");
    await expect(readVaultTree({ address: server.address, auth: { method: "token", token: server.rootToken } }, "tree/billing", { signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({ reason: "permission_denied" });
  });
});
