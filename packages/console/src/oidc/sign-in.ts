import type { OidcSignIn } from "@keyward/sdk";
import { decodeJwtPayload, idTokenProblem } from "./id-token.js";
import { randomUrlToken, s256Challenge } from "./pkce.js";

const PENDING_KEY = "keyward.oidc-pending";

/** What this tab must remember across the round trip to the provider (never a token). */
interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  issuer: string;
  clientId: string;
  tokenEndpoint: string;
  returnTo: string;
}

export type OidcOutcome =
  | { kind: "none" }
  | { kind: "signed-in"; idToken: string; expiresAt: number; returnTo: string }
  | { kind: "failed"; problem: string };

interface ProviderMetadata {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  responseMode: "fragment" | "query";
}

export interface OidcSignInOptions {
  win: Pick<Window, "location" | "history">;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** The console's own URL, registered with the provider, e.g. https://keyward.example.com/admin/ */
  redirectUri: string;
  fetch?: typeof fetch;
}

const isUrl = (v: unknown): v is string => typeof v === "string" && URL.canParse(v);

/**
 * The console as a public OIDC client: authorization code flow with PKCE (S256), state and nonce.
 * `start` sends the browser to the provider; `complete`, on the page it comes back to, trades the
 * code for an ID token. Only the one-time state, nonce and verifier wait in sessionStorage while
 * the page is away (they are useless without the code, and removed on return); the ID token is
 * handed to the caller to keep in memory.
 */
export function createOidcSignIn(options: OidcSignInOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function discover(issuer: string): Promise<ProviderMetadata> {
    const res = await doFetch(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`the provider's discovery document answered ${res.status}`);
    const doc = (await res.json()) as Record<string, unknown>;
    if (doc.issuer !== issuer) throw new Error("the provider's discovery document names another issuer");
    if (!isUrl(doc.authorization_endpoint) || !isUrl(doc.token_endpoint)) throw new Error("the provider's discovery document has no authorization or token endpoint");
    const methods = doc.code_challenge_methods_supported;
    if (Array.isArray(methods) && !methods.includes("S256")) throw new Error("the provider does not support PKCE with S256");
    const modes = doc.response_modes_supported;
    // A fragment never reaches a server, so the code stays out of every access log.
    const responseMode = !Array.isArray(modes) || modes.includes("fragment") ? "fragment" : "query";
    return { authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint, responseMode };
  }

  /** The provider's answer in the URL (fragment or query), when this page load is one. */
  function callbackParams(): URLSearchParams | undefined {
    for (const raw of [options.win.location.hash.replace(/^#/, ""), options.win.location.search.replace(/^\?/, "")]) {
      const params = new URLSearchParams(raw);
      if (params.has("state") && (params.has("code") || params.has("error"))) return params;
    }
    return undefined;
  }

  return {
    async start(config: OidcSignIn, returnTo: string): Promise<void> {
      const provider = await discover(config.issuer);
      const pending: Pending = { state: randomUrlToken(), nonce: randomUrlToken(), verifier: randomUrlToken(), issuer: config.issuer, clientId: config.clientId, tokenEndpoint: provider.tokenEndpoint, returnTo };
      const url = new URL(provider.authorizationEndpoint);
      for (const [k, v] of Object.entries({
        response_type: "code",
        response_mode: provider.responseMode,
        client_id: config.clientId,
        redirect_uri: options.redirectUri,
        scope: config.scopes.join(" "),
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await s256Challenge(pending.verifier),
        code_challenge_method: "S256",
      }))
        url.searchParams.set(k, v);
      options.storage.setItem(PENDING_KEY, JSON.stringify(pending));
      options.win.location.assign(url.href);
    },

    async complete(): Promise<OidcOutcome> {
      const params = callbackParams();
      if (!params) return { kind: "none" };
      // The code leaves the address bar and the history at once; the pending sign-in is used up.
      options.win.history.replaceState(null, "", options.win.location.pathname);
      const raw = options.storage.getItem(PENDING_KEY);
      options.storage.removeItem(PENDING_KEY);
      const failed = (problem: string): OidcOutcome => ({ kind: "failed", problem });
      if (!raw) return failed("this tab started no sign-in, or it was already used; sign in again");
      const pending = JSON.parse(raw) as Pending;
      if (params.get("state") !== pending.state) return failed("the provider's answer is not for the sign-in this tab started (state)");
      const error = params.get("error");
      if (error) return failed(`the provider refused: ${error}${params.get("error_description") ? ` (${params.get("error_description")})` : ""}`);
      // RFC 9207: when the provider names itself, it must be the one this tab went to.
      if (params.has("iss") && params.get("iss") !== pending.issuer) return failed("the provider's answer comes from another issuer (iss)");
      let body: Record<string, unknown>;
      try {
        const res = await doFetch(pending.tokenEndpoint, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: new URLSearchParams({ grant_type: "authorization_code", code: params.get("code") ?? "", redirect_uri: options.redirectUri, client_id: pending.clientId, code_verifier: pending.verifier }),
        });
        body = (await res.json()) as Record<string, unknown>;
        if (!res.ok) return failed(`the provider's token endpoint answered ${res.status}${typeof body.error === "string" ? ` (${body.error})` : ""}`);
      } catch {
        return failed("the provider's token endpoint could not be reached");
      }
      const idToken = body.id_token;
      if (typeof idToken !== "string") return failed("the provider sent no ID token (is openid among the scopes?)");
      const claims = decodeJwtPayload(idToken);
      const problem = idTokenProblem(claims, pending);
      if (problem) return failed(problem);
      return { kind: "signed-in", idToken, expiresAt: claims!.exp as number, returnTo: pending.returnTo };
    },
  };
}
export type OidcSignInFlow = ReturnType<typeof createOidcSignIn>;
