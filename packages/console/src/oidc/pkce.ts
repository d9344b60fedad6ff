const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A random, URL-safe string (state, nonce, PKCE verifier) from the browser's CSPRNG. */
export function randomUrlToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The PKCE S256 code challenge of a verifier (RFC 7636 §4.2). */
export async function s256Challenge(verifier: string): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error("signing in with OIDC needs a secure page (https, or http on localhost): the browser offers no crypto.subtle here");
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}
