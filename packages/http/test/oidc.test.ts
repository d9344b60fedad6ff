import http from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  const sign = async (claims: JWTPayload, options: { key?: CryptoKey; kid?: string; issuer?: string; expires?: string | number; subject?: string | null } = {}) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: options.kid ?? "k1" }).setIssuer(options.issuer ?? ISSUER).setAudience(AUDIENCE).setIssuedAt();
    if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? "user-1");
    const token = await jwt.setExpirationTime(options.expires ?? "5m").sign(options.key ?? signing);
    issued.push(token);
    return token;
  };

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
    api = await startApi({ http: { oidc: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, roleClaim: "keyward.roles", roleMap: { "secrets-admins": "admin", "secrets-readers": "viewer", "sec-audit": "auditor" } } } });
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
    expect((await api.call("GET", "/api/me", { token: viewer })).json).toEqual({ id: "user-1", name: "vera@example.com", role: "viewer", via: "oidc" });
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
  });

  it("refuses expired, foreign, mis-issued and role-less tokens", async () => {
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { expires: Math.floor(Date.now() / 1000) - 60 }) }), 401, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { key: stranger }) }), 401, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { issuer: "https://other.test" }) }), 401, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["secrets-admins"] } }, { subject: null }) }), 401, "authorization");
    const expired = await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["sec-audit"] } }, { expires: Math.floor(Date.now() / 1000) - 60 }) });
    expect(expired.json.detail).toContain("ERR_JWT_EXPIRED");
    // A role name that is not mapped is not a role, even if it looks like one.
    const unmapped = await api.call("GET", "/api/me", { token: await sign({ keyward: { roles: ["owner"] } }) });
    expectProblem(unmapped, 403, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: await sign({}) }), 403, "authorization");
    expectProblem(await api.call("GET", "/api/me", { token: "not.a.jwt" }), 401, "authorization");
  });
});
