/** The claims the console checks before it uses an ID token as its bearer. */
export interface IdTokenClaims {
  iss?: unknown;
  aud?: unknown;
  nonce?: unknown;
  exp?: unknown;
}

export function decodeJwtPayload(token: string): IdTokenClaims | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const payload: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return payload && typeof payload === "object" ? (payload as IdTokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why an ID token fresh from the token endpoint must not be used, or undefined. The token came
 * straight from the provider over TLS (OIDC Core §3.1.3.7), so the signature is left to the server,
 * which verifies it on every call; here the nonce binds it to this sign-in, and iss and aud to the
 * provider and client this console asked.
 */
export function idTokenProblem(claims: IdTokenClaims | undefined, expected: { issuer: string; clientId: string; nonce: string }): string | undefined {
  if (!claims) return "the provider's ID token is not a JWT";
  if (claims.nonce !== expected.nonce) return "the provider's ID token is not for this sign-in (nonce)";
  if (claims.iss !== expected.issuer) return "the provider's ID token is from another issuer (iss)";
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.clientId)) return "the provider's ID token is for another client (aud)";
  if (typeof claims.exp !== "number") return "the provider's ID token has no expiry (exp)";
  return undefined;
}
