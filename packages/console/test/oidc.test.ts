import { beforeEach, describe, expect, it } from "vitest";
import { decodeJwtPayload, idTokenProblem } from "../src/oidc/id-token.js";
import { randomUrlToken, s256Challenge } from "../src/oidc/pkce.js";
import { createOidcSignIn } from "../src/oidc/sign-in.js";

const ISSUER = "https://id.example.com";
const CONFIG = { issuer: ISSUER, clientId: "keyward-console", scopes: ["openid", "email"], providerName: "Example ID" };
const REDIRECT = "https://keyward.example.com/admin/";

/** A tab at `url`: where it was sent (assign) and what the address bar became (replaceState). */
function tab(url = REDIRECT) {
  const at = new URL(url);
  const sent: string[] = [];
  const win = {
    location: { hash: at.hash, search: at.search, pathname: at.pathname, origin: at.origin, assign: (u: string) => sent.push(u) },
    history: { replaceState: (_s: unknown, _t: string, u: string) => ((win.location.hash = ""), (win.location.search = ""), (win.location.pathname = u)) },
  };
  return { win: win as unknown as Window, sent };
}

// The provider's discovery document, as the browser would fetch it (this test checks the console's side only;
// packages/service/test/browser/console-oidc.e2e.test.ts runs the whole flow against a real provider).
const discovery = (doc: Record<string, unknown>) => async () => new Response(JSON.stringify(doc), { status: 200, headers: { "content-type": "application/json" } });
const DOC = { issuer: ISSUER, authorization_endpoint: `${ISSUER}/auth`, token_endpoint: `${ISSUER}/token`, code_challenge_methods_supported: ["S256"] };
const jwt = (claims: Record<string, unknown>) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}.sig`;

describe("the console's OIDC sign-in", () => {
  beforeEach(() => sessionStorage.clear());

  it("derives the PKCE challenge as RFC 7636 does, from random URL-safe verifiers", async () => {
    expect(await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const a = randomUrlToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomUrlToken()).not.toBe(a);
  });

  it("sends the browser to the provider with code + PKCE S256, state and nonce, in fragment mode", async () => {
    const { win, sent } = tab();
    await createOidcSignIn({ win, storage: sessionStorage, redirectUri: REDIRECT, fetch: discovery(DOC) }).start(CONFIG, "/admin/tokens");
    const url = new URL(sent[0]!);
    expect(url.origin + url.pathname).toBe(`${ISSUER}/auth`);
    const pending = JSON.parse(sessionStorage.getItem("keyward.oidc-pending")!);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      response_mode: "fragment",
      client_id: "keyward-console",
      redirect_uri: REDIRECT,
      scope: "openid email",
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await s256Challenge(pending.verifier),
      code_challenge_method: "S256",
    });
    // The verifier itself never leaves the tab until the code is traded.
    expect(url.href).not.toContain(pending.verifier);
    expect(pending).toMatchObject({ issuer: ISSUER, clientId: "keyward-console", tokenEndpoint: `${ISSUER}/token`, returnTo: "/admin/tokens" });
  });

  it("uses query mode when the provider has no fragment mode, and refuses a provider without S256 or for another issuer", async () => {
    const start = (doc: Record<string, unknown>) => {
      const t = tab();
      return createOidcSignIn({ win: t.win, storage: sessionStorage, redirectUri: REDIRECT, fetch: discovery(doc) })
        .start(CONFIG, "/admin/")
        .then(() => new URL(t.sent[0]!).searchParams.get("response_mode"));
    };
    expect(await start({ ...DOC, response_modes_supported: ["query"] })).toBe("query");
    await expect(start({ ...DOC, code_challenge_methods_supported: ["plain"] })).rejects.toThrow("does not support PKCE with S256");
    await expect(start({ ...DOC, issuer: "https://evil.example.com" })).rejects.toThrow("names another issuer");
  });

  it("refuses an answer this tab did not ask for, or that the provider refused, and clears the URL and the pending sign-in", async () => {
    const complete = (url: string) => {
      const t = tab(url);
      return createOidcSignIn({ win: t.win, storage: sessionStorage, redirectUri: REDIRECT, fetch: () => Promise.reject(new Error("no token request expected")) })
        .complete()
        .then((outcome) => ({ outcome, win: t.win }));
    };
    expect((await complete(REDIRECT)).outcome).toEqual({ kind: "none" });
    expect((await complete(`${REDIRECT}#code=abc&state=s1`)).outcome).toEqual({ kind: "failed", problem: "this tab started no sign-in, or it was already used; sign in again" });

    sessionStorage.setItem("keyward.oidc-pending", JSON.stringify({ state: "s1", nonce: "n", verifier: "v", issuer: ISSUER, clientId: "c", tokenEndpoint: `${ISSUER}/token`, returnTo: "/admin/" }));
    const { outcome, win } = await complete(`${REDIRECT}#code=abc&state=forged`);
    expect(outcome).toEqual({ kind: "failed", problem: "the provider's answer is not for the sign-in this tab started (state)" });
    expect(win.location.hash).toBe("");
    expect(sessionStorage.length).toBe(0);

    sessionStorage.setItem("keyward.oidc-pending", JSON.stringify({ state: "s2", issuer: ISSUER }));
    expect((await complete(`${REDIRECT}?error=access_denied&error_description=no+consent&state=s2`)).outcome).toEqual({ kind: "failed", problem: "the provider refused: access_denied (no consent)" });
    sessionStorage.setItem("keyward.oidc-pending", JSON.stringify({ state: "s3", issuer: ISSUER }));
    expect((await complete(`${REDIRECT}#code=abc&state=s3&iss=https%3A%2F%2Fevil.example.com`)).outcome).toEqual({ kind: "failed", problem: "the provider's answer comes from another issuer (iss)" });
  });

  it("checks the ID token's nonce, issuer, audience and expiry before using it", () => {
    const expected = { issuer: ISSUER, clientId: "keyward-console", nonce: "n1" };
    const good = { iss: ISSUER, aud: "keyward-console", nonce: "n1", exp: 2_000_000_000 };
    expect(decodeJwtPayload(jwt(good))).toEqual(good);
    expect(idTokenProblem(decodeJwtPayload(jwt(good)), expected)).toBeUndefined();
    expect(idTokenProblem(decodeJwtPayload(jwt({ ...good, aud: ["other", "keyward-console"] })), expected)).toBeUndefined();
    expect(idTokenProblem(decodeJwtPayload(jwt({ ...good, nonce: "n2" })), expected)).toMatch(/nonce/);
    expect(idTokenProblem(decodeJwtPayload(jwt({ ...good, iss: "https://evil.example.com" })), expected)).toMatch(/iss/);
    expect(idTokenProblem(decodeJwtPayload(jwt({ ...good, aud: "other" })), expected)).toMatch(/aud/);
    expect(idTokenProblem(decodeJwtPayload(jwt({ ...good, exp: undefined })), expected)).toMatch(/exp/);
    expect(idTokenProblem(decodeJwtPayload("not-a-jwt"), expected)).toMatch(/not a JWT/);
  });
});
