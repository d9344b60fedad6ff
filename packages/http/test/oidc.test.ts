import http from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOidcVerifier, type OidcOptions } from "../src/index.js";
import { expectProblem, startApi, type Api } from "./harness.js";

const ISSUER = "https://idp.test";
const AUDIENCE = "keyward-admin";

describe("OIDC bearer tokens", () => {
  let api: Api;
  let jwks: http.Server;
  let signing: CryptoKey;
  let stranger: CryptoKey;
  let jwksRequests = 0;
  const issued: string[] = [];

  type SignOptions = { key?: CryptoKey; kid?: string; issuer?: string; audience?: string | string[]; issuedAt?: number | null; expires?: string | number | null; subject?: string | null };
  const sign = async (claims: JWTPayload, options: SignOptions = {}) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: options.kid ?? "k1" }).setIssuer(options.issuer ?? ISSUER).setAudience(options.audience ?? AUDIENCE);
    if (options.issuedAt !== null) jwt = jwt.setIssuedAt(options.issuedAt);
    if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? "user-1");
    if (options.expires !== null) jwt = jwt.setExpirationTime(options.expires ?? "5m");
    const token = await jwt.sign(options.key ?? signing);
    issued.push(token);
    return token;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const admin = { keyward: { roles: ["secrets-admins"] } };

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    signing = pair.privateKey;
    stranger = (await generateKeyPair("RS256")).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    // A local identity provider's JWKS endpoint, on loopback.
    jwks = http.createServer((req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const port = (jwks.address() as { port: number }).port;
    api = await startApi({ http: { oidc: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, roleClaim: "keyward.roles", roleMap: { "secrets-admins": "admin", "secrets-readers": "viewer", "sec-audit": "auditor", "dev-ops": "operator@development", "stage-ops": "operator@staging+qa" } } } });
  });
  afterAll(async () => {
    // No JWT reached a response body or a log line.
    for (const token of issued) {
      expect(api.bodies.join("\n")).not.toContain(token);
      expect(api.logs()).not.toContain(token);
    }
    await api?.close();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  it("maps the configured claim to a role and enforces it", async () => {
    const viewer = await sign({ email: "vera@example.com", keyward: { roles: ["eng", "secrets-readers"] } });
    expect((await api.call("GET", "/api/me", { token: viewer })).json).toEqual({ id: "user-1", name: "vera@example.com", role: "viewer", via: "oidc", environments: null, owner: null });
    expect((await api.call("GET", "/api/secrets", { token: viewer })).status).toBe(200);
    expectProblem(await api.call("POST", "/api/secrets", { token: viewer, body: { name: "OIDC_NEW" } }), 403, "role");
    expect(jwksRequests).toBeGreaterThan(0);

    // Several mapped values: the most privileged role wins.
    const admin = await sign({ keyward: { roles: ["secrets-readers", "secrets-admins"] } }, { subject: "ada" });
    const created = await api.call("POST", "/api/secrets", { token: admin, body: { name: "OIDC_NEW" } });
    expect(created.json).toMatchObject({ name: "OIDC_NEW", createdBy: "oidc:ada" });
    const row = await api.kdb.db.selectFrom("audit_log").select(["actor_type", "actor_id"]).where("action", "=", "secret.create").executeTakeFirstOrThrow();
    expect(row).toEqual({ actor_type: "oidc", actor_id: "oidc:ada" });
    // Admin keys still work beside OIDC.
    expect((await api.call("GET", "/api/me")).json.via).toBe("api_key");
    // Without a console client, the console is told to sign in with admin keys only.
    expect((await api.call("GET", "/api/auth/config", { token: null })).json).toEqual({ oidc: null });
  });

  it("scopes a role mapped to environments: the highest role, with the union of its mappings' environments", async () => {
    const ops = await sign({ keyward: { roles: ["dev-ops", "stage-ops", "secrets-readers"] } }, { subject: "oscar" });
    expect((await api.call("GET", "/api/me", { token: ops })).json).toMatchObject({ role: "operator", via: "oidc", environments: ["development", "staging", "qa"] });
    expect((await api.call("GET", "/api/secrets?environment=staging", { token: ops })).status).toBe(200);
    expectProblem(await api.call("GET", "/api/secrets?environment=production", { token: ops }), 403, "environment");
    // One unscoped mapping to the same role means every environment.
    const wide = await sign({ keyward: { roles: ["dev-ops", "secrets-admins"] } }, { subject: "wanda" });
    expect((await api.call("GET", "/api/me", { token: wide })).json).toMatchObject({ role: "admin", environments: null });
  });

  it("refuses expired, foreign, mis-issued and role-less tokens", async () => {
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { expires: Math.floor(Date.now() / 1000) - 60 }) }), 401, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { key: stranger }) }), 401, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { issuer: "https://other.test" }) }), 401, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { subject: null }) }), 401, "authorization");
    const expired = await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["sec-audit"] } }, { expires: Math.floor(Date.now() / 1000) - 60 }) });
    expect(expired.json.detail).toContain("ERR_JWT_EXPIRED: exp check_failed");
    // A role name that is not mapped is not a role, even if it looks like one.
    const unmapped = await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["owner"] } }) });
    expectProblem(unmapped, 403, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({}) }), 403, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: "not.a.jwt" }), 401, "authorization");
  });

  it("refuses a token for another audience, from another issuer, or without exp, naming the claim", async () => {
    // The same key, subject and role: only the claim under test differs, and the control passes.
    expect((await api.call("GET", "/api/me", { token: await sign(admin) })).status).toBe(200);
    expect((await api.call("GET", "/api/me", { token: await sign(admin, { audience: ["other-app", AUDIENCE] }) })).status).toBe(200);
    const audience = await api.call("GET", "/api/me", { token: await sign(admin, { audience: "other-app" }) });
    expectProblem(audience, 401, "authorization");
    expect(audience.json.detail).toBe("the bearer JWT was refused (ERR_JWT_CLAIM_VALIDATION_FAILED: aud check_failed)");
    const issuer = await api.call("GET", "/api/me", { token: await sign(admin, { issuer: "https://idp.test/other" }) });
    expectProblem(issuer, 401, "authorization");
    expect(issuer.json.detail).toBe("the bearer JWT was refused (ERR_JWT_CLAIM_VALIDATION_FAILED: iss check_failed)");
    const noExp = await api.call("GET", "/api/me", { token: await sign(admin, { expires: null }) });
    expectProblem(noExp, 401, "authorization");
    expect(noExp.json.detail).toBe("the bearer JWT was refused (ERR_JWT_CLAIM_VALIDATION_FAILED: exp missing)");
    const noIat = await api.call("GET", "/api/me", { token: await sign(admin, { issuedAt: null }) });
    expectProblem(noIat, 401, "authorization");
    expect(noIat.json.detail).toBe("the bearer JWT was refused (ERR_JWT_CLAIM_VALIDATION_FAILED: iat missing)");
  });

  it("bounds the token's age and lifetime by the maximum token age (1 h by default)", async () => {
    // Still valid, but issued 2 h ago: too old.
    const old = await api.call("GET", "/api/me", { token: await sign(admin, { issuedAt: now() - 7200, expires: now() + 300 }) });
    expectProblem(old, 401, "authorization");
    expect(old.json.detail).toBe("the bearer JWT was refused (ERR_JWT_EXPIRED: iat check_failed)");
    // Fresh, but minted to live a day.
    const long = await api.call("GET", "/api/me", { token: await sign(admin, { expires: now() + 86_400 }) });
    expectProblem(long, 401, "authorization");
    expect(long.json.detail).toMatch(/lives 864\d\d s \(exp − iat\), longer than the maximum token age of 3600 s/);
    // Just inside the bound: issued 55 min ago, expiring in 5 min.
    expect((await api.call("GET", "/api/me", { token: await sign(admin, { issuedAt: now() - 3300, expires: now() + 300 }) })).status).toBe(200);
  });
});

describe("OIDC settings", () => {
  let provider: http.Server;
  let origin: string;
  let signing: CryptoKey;
  let discovery: Record<string, unknown> = {};
  const requests: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256");
    signing = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "d1", alg: "ES256", use: "sig" };
    // A provider on loopback: its discovery document and its keys.
    provider = http.createServer((req, res) => {
      requests.push(req.url ?? "");
      const body = req.url === "/.well-known/openid-configuration" ? discovery : req.url === "/keys" ? { keys: [jwk] } : undefined;
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(provider.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => provider.close(() => resolve()));
  });
  const token = (issuer: string) => new SignJWT({ keyward_role: "viewer" }).setProtectedHeader({ alg: "ES256", kid: "d1" }).setIssuer(issuer).setAudience("keyward").setSubject("dora").setIssuedAt().setExpirationTime("5m").sign(signing);

  it("refuses a JWKS URL or an issuer over plain http unless on loopback, and a missing issuer or audience", () => {
    const create = (oidc: Record<string, unknown>) => () => createOidcVerifier(oidc as unknown as OidcOptions);
    expect(create({ issuer: "https://id.example.com", audience: "keyward", jwksUrl: "http://id.example.com/jwks.json" })).toThrow("oidc.jwksUrl must use https (plain http is allowed only on loopback");
    expect(create({ issuer: "https://id.example.com", audience: "keyward", jwksUrl: "http://10.1.2.3/jwks.json" })).toThrow("oidc.jwksUrl must use https");
    expect(create({ issuer: "http://id.example.com", audience: "keyward" })).toThrow("oidc.issuer must use https");
    expect(create({ issuer: "https://id.example.com", jwksUrl: `${origin}/keys` })).toThrow("oidc.audience is required");
    expect(create({ audience: "keyward", jwksUrl: `${origin}/keys` })).toThrow("oidc.issuer is required");
    expect(create({ issuer: "https://id.example.com", audience: "keyward", console: { clientId: "console" } })).toThrow('oidc.audience must equal oidc.console.clientId ("console")');
    // Loopback over plain http is fine (a provider on this machine).
    expect(create({ issuer: origin, audience: "keyward", jwksUrl: `${origin}/keys` })).not.toThrow();
    expect(create({ issuer: "http://localhost:9/", audience: "keyward" })).not.toThrow();
  });

  it("allows plain http on loopback, and finds the keys through the issuer's discovery document", async () => {
    discovery = { issuer: origin, jwks_uri: `${origin}/keys` };
    const api = await startApi({ http: { oidc: { issuer: origin, audience: "keyward", console: { clientId: "keyward" } } } });
    try {
      // Nothing is fetched until a token arrives, so the service starts while the provider is down.
      expect(requests).toEqual([]);
      // The console's sign-in settings are public, with default scopes and the issuer's host as the name.
      const config = await api.call("GET", "/api/auth/config", { token: null });
      expect(config.status).toBe(200);
      expect(config.json).toEqual({ oidc: { issuer: origin, clientId: "keyward", scopes: ["openid", "profile", "email"], providerName: origin.slice("http://".length) } });
      expect((await api.call("GET", "/api/me", { token: await token(origin) })).json).toMatchObject({ id: "dora", role: "viewer", via: "oidc" });
      expect(requests).toEqual(["/.well-known/openid-configuration", "/keys"]);
    } finally {
      await api.close();
    }
  });

  it("answers 503 when the discovery document names another issuer or an http jwks_uri, and retries later", async () => {
    const api = await startApi({ http: { oidc: { issuer: origin, audience: "keyward", console: { clientId: "keyward", scopes: ["openid", "groups"], providerName: "Dex" } } } });
    try {
      expect((await api.call("GET", "/api/auth/config", { token: null })).json).toEqual({ oidc: { issuer: origin, clientId: "keyward", scopes: ["openid", "groups"], providerName: "Dex" } });
      discovery = { issuer: "https://elsewhere.example.com", jwks_uri: `${origin}/keys` };
      const bearer = await token(origin);
      const other = await api.call("GET", "/api/me", { token: bearer });
      expectProblem(other, 503, "authorization");
      expect(api.logs()).toContain(`names the issuer \\"https://elsewhere.example.com\\", not ${origin}`);
      discovery = { issuer: origin, jwks_uri: "http://keys.example.com/keys" };
      expectProblem(await api.call("GET", "/api/me", { token: await token(origin) }), 503, "authorization");
      expect(api.logs()).toContain("the jwks_uri http://keys.example.com/keys");
      discovery = { issuer: origin, jwks_uri: `${origin}/keys` };
      expect((await api.call("GET", "/api/me", { token: await token(origin) })).status).toBe(200);
      expect(api.logs()).not.toContain(bearer);
      expect(api.bodies.join("\n")).not.toContain(bearer);
    } finally {
      await api.close();
    }
  });
});
