/// <reference lib="dom" />
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import Provider from "oidc-provider";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@keyward/common";
import { consoleDir } from "@keyward/console";
import { startSecretsService, type RunningService } from "../../src/index.js";
import { ensureChromium, launchChromium } from "./chromium.js";

// The admin console signs in with OIDC in a real headless Chromium: a real OpenID provider
// (oidc-provider, on loopback, with its development login and consent pages), the real service
// configured against it (JWKS found through the issuer's discovery document), authorization code
// + PKCE from the browser. Screenshots go to test-artifacts/console-oidc-e2e/.
const unavailable = ensureChromium();
if (unavailable) console.warn(`SKIPPED the browser test: ${unavailable}`);

const ARTIFACTS = path.resolve(import.meta.dirname, "../../../../test-artifacts/console-oidc-e2e");
const CLIENT_ID = "keyward-console";
const OTHER_CLIENT = "other-app";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-console-oidc-"));
// The provider's accounts: ada is a Keyward admin; the role travels in the ID token's keyward_role claim.
const ACCOUNTS: Record<string, { email: string; keyward_role?: string }> = { ada: { email: "ada@example.com", keyward_role: "admin" } };

let providerServer: http.Server;
let issuer: string;
let service: RunningService;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let serviceLog = "";
const pageErrors: string[] = [];
// Every URL the page asked for, and the ID tokens the provider handed out (to prove where they never went).
const requested: string[] = [];
const idTokens: string[] = [];

let shot = 0;
const screenshot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
const base64url = (b: Buffer) => b.toString("base64url");

beforeAll(async () => {
  if (unavailable) return;
  if (!fs.existsSync(path.join(consoleDir, "index.html"))) throw new Error(`the console is not built (${consoleDir}); run: pnpm --filter @keyward/console build`);
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });

  // The provider's port first: the service is configured with its issuer URL, and the provider's
  // client with the console's redirect URI. Nothing is fetched from the provider until a token arrives.
  providerServer = http.createServer();
  await new Promise<void>((resolve) => providerServer.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(providerServer.address() as { port: number }).port}`;

  const destination = new Writable({ write: (c, _e, cb) => ((serviceLog += c.toString()), cb()) });
  service = await startSecretsService({
    env: {
      KEYWARD_OIDC_ISSUER: issuer,
      KEYWARD_OIDC_AUDIENCE: CLIENT_ID,
      KEYWARD_OIDC_CLIENT_ID: CLIENT_ID,
      KEYWARD_OIDC_SCOPES: "openid email keyward",
      KEYWARD_OIDC_PROVIDER_NAME: "Test ID",
    },
    logger: createLogger({ level: "debug", destination }),
    dataDir,
    host: "127.0.0.1",
    grpcPort: 0,
    httpPort: 0,
    consoleDir,
  });
  const consoleOrigin = service.adminUrl;

  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: [
      // The console: a public client (no secret) that must use PKCE, redirecting to /admin/.
      { client_id: CLIENT_ID, token_endpoint_auth_method: "none", redirect_uris: [`${consoleOrigin}/admin/`], grant_types: ["authorization_code"], response_types: ["code"] },
      // Another application of the same provider: its tokens must not open Keyward.
      { client_id: OTHER_CLIENT, token_endpoint_auth_method: "none", redirect_uris: [`${issuer}/other-app/callback`], grant_types: ["authorization_code"], response_types: ["code"] },
    ],
    jwks: { keys: [{ ...signingKey, kid: "test-1", alg: "RS256", use: "sig" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email"], keyward: ["keyward_role"] },
    // Claims asked for by scope go into the ID token too (the console's bearer), as IdPs' role mappers do.
    conformIdTokenClaims: false,
    clientBasedCORS: (_ctx, origin) => origin === consoleOrigin,
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, ...(ACCOUNTS[id] ?? { email: `${id}@example.com` }) }) }),
  });
  const callback = provider.callback();
  providerServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The other application's redirect URI: it only has to be there.
    if (req.url?.startsWith("/other-app/callback")) return void res.end("other app");
    void callback(req, res);
  });

  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) pageErrors.push(msg.text());
  });
  page.on("request", (request) => requested.push(request.url()));
  page.on("response", async (response) => {
    if (response.url() === `${issuer}/token` && response.ok()) idTokens.push(((await response.json()) as { id_token: string }).id_token);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await new Promise<void>((resolve) => (providerServer ? providerServer.close(() => resolve()) : resolve()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)("the admin console signs in with OIDC in headless Chromium", () => {
  it("signs in at a real OpenID provider with code + PKCE and uses the ID token as its bearer", async () => {
    const consoleUrl = `${service.adminUrl}/admin/`;
    // The console learns the provider from the public GET /api/auth/config.
    const config = await (await fetch(`${service.adminUrl}/api/auth/config`)).json();
    expect(config).toEqual({ oidc: { issuer, clientId: CLIENT_ID, scopes: ["openid", "email", "keyward"], providerName: "Test ID" } });

    // Begin on a deep link: the console comes back to it after the provider.
    const index = await page.goto(`${service.adminUrl}/admin/keys`);
    // The CSP lets the console reach the provider (discovery and token endpoint), and nothing else.
    expect(index?.headers()["content-security-policy"]).toContain(`connect-src 'self' ${issuer};`);
    const signInWith = page.getByRole("button", { name: "Sign in with Test ID", exact: true });
    await signInWith.waitFor();
    await page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();
    await screenshot("sign-in-with-provider");

    // To the provider: its login page, then its consent page.
    await signInWith.click();
    await page.waitForURL((url) => url.origin === issuer && url.pathname.startsWith("/interaction/"));
    const authorize = new URL(requested.find((u) => u.startsWith(`${issuer}/auth?`))!);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ response_type: "code", client_id: CLIENT_ID, redirect_uri: consoleUrl, code_challenge_method: "S256", response_mode: "fragment", scope: "openid email keyward" });
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.locator('input[name="login"]').fill("ada");
    await page.locator('input[name="password"]').fill("any password");
    await screenshot("provider-login");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).waitFor();
    await screenshot("provider-consent");
    await page.getByRole("button", { name: "Continue" }).click();

    // Back in the console, signed in as ada with the admin role, on the page the sign-in began from.
    await page.getByText("Signed in as ada@example.com (admin)").waitFor();
    await page.getByRole("heading", { level: 1, name: "Admin keys" }).waitFor();
    await page.locator('tr[data-name="bootstrap"][data-status="active"]').waitFor();
    await screenshot("signed-in-admin-keys");
    expect(page.url()).toBe(`${service.adminUrl}/admin/keys`);

    // The token came from the provider's token endpoint, and went nowhere it should not.
    expect(idTokens).toHaveLength(1);
    const idToken = idTokens[0]!;
    const claims = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ iss: issuer, aud: CLIENT_ID, sub: "ada", keyward_role: "admin" });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    for (const url of requested) expect(url).not.toContain(idToken);
    // The code came back in the fragment, so the service never saw it in a URL.
    expect(requested.filter((u) => u.startsWith(service.adminUrl) && /[?&#]code=/.test(u))).toEqual([]);
    // The service served ada's calls under her OIDC identity, and logged no token.
    expect(serviceLog).toContain('"actor":"oidc:ada"');
    expect(serviceLog).not.toContain(idToken);
    expect(pageErrors).toEqual([]);

    // Sign out forgets the token; a reload would too (memory only).
    await page.getByRole("button", { name: "Sign out" }).click();
    await signInWith.waitFor();
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
  });

  it("refuses a token the same provider issued to another application (another audience)", async () => {
    // The browser still has a session at the provider: ask it for a code for the other client.
    const verifier = base64url(randomBytes(32));
    const challenge = base64url(createHash("sha256").update(verifier).digest());
    const authorize = new URL(`${issuer}/auth`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: OTHER_CLIENT, redirect_uri: `${issuer}/other-app/callback`, scope: "openid email keyward", state: "s", nonce: "n", code_challenge: challenge, code_challenge_method: "S256" }))
      authorize.searchParams.set(k, v);
    const callback = page.waitForRequest((r) => r.url().startsWith(`${issuer}/other-app/callback`));
    await page.goto(authorize.href);
    await page.getByRole("button", { name: "Continue" }).click();
    const code = new URL((await callback).url()).searchParams.get("code")!;
    expect(code).toBeTruthy();
    const tokens = await (
      await fetch(`${issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: `${issuer}/other-app/callback`, client_id: OTHER_CLIENT, code_verifier: verifier }) })
    ).json();
    const foreign = tokens.id_token as string;
    // A real token of the same provider, the same user and the same role: only the audience differs.
    expect(JSON.parse(Buffer.from(foreign.split(".")[1]!, "base64url").toString())).toMatchObject({ iss: issuer, aud: OTHER_CLIENT, sub: "ada", keyward_role: "admin" });
    const refused = await fetch(`${service.adminUrl}/api/me`, { headers: { authorization: `Bearer ${foreign}` } });
    expect(refused.status).toBe(401);
    const problem = await refused.json();
    expect(problem).toMatchObject({ field: "authorization", detail: "the bearer JWT was refused (ERR_JWT_CLAIM_VALIDATION_FAILED: aud check_failed)" });
    expect(JSON.stringify(problem)).not.toContain(foreign);
    expect(serviceLog).not.toContain(foreign);
  });

  it("explains a refused sign-in: a provider account whose token names no Keyward role", async () => {
    // A fresh provider session (its cookies gone), as another user.
    await browser.context.clearCookies();
    await page.goto(`${service.adminUrl}/admin/`);
    await page.getByRole("button", { name: "Sign in with Test ID", exact: true }).click();
    await page.locator('input[name="login"]').fill("bob");
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("alert").filter({ hasText: "Sign-in failed: the JWT's keyward_role claim names no Keyward role" }).waitFor();
    await screenshot("refused-no-role");
    expect(await page.getByText("Signed in as").count()).toBe(0);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(idTokens).toHaveLength(2);
    expect(serviceLog).not.toContain(idTokens[1]!);
  });
});
