import { insecureUrlProblem } from "@keyward/common";
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

/** The provider could not be asked for its keys: a server-side problem, not a bad token. */
export class OidcDiscoveryError extends Error {
  override name = "OidcDiscoveryError";
}

/** Where OIDC Discovery 1.0 publishes an issuer's metadata. */
export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;

async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string> {
  const url = discoveryUrl(issuer);
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    if (!res.ok) throw new OidcDiscoveryError(`${url} answered ${res.status}`);
    metadata = (await res.json()) as typeof metadata;
  } catch (error) {
    if (error instanceof OidcDiscoveryError) throw error;
    throw new OidcDiscoveryError(`${url} could not be read (${error instanceof Error ? error.name : "error"})`);
  }
  // OIDC Discovery §4.3: the document must name the very issuer it was fetched for.
  if (metadata.issuer !== issuer) throw new OidcDiscoveryError(`${url} names the issuer ${JSON.stringify(metadata.issuer)}, not ${issuer}`);
  if (typeof metadata.jwks_uri !== "string") throw new OidcDiscoveryError(`${url} has no jwks_uri`);
  const problem = insecureUrlProblem(metadata.jwks_uri);
  if (problem) throw new OidcDiscoveryError(`the jwks_uri ${metadata.jwks_uri} in ${url} ${problem}`);
  return metadata.jwks_uri;
}

/**
 * The provider's signing keys, from `jwksUrl` or, without it, from the jwks_uri of the issuer's
 * discovery document, read on first use (a failure is retried on the next token) so the service
 * starts while the provider is down. jose caches the key set and refetches it for an unknown kid.
 */
export function createProviderKeys(options: { issuer: string; jwksUrl?: string; timeoutMs?: number }): JWTVerifyGetKey {
  if (options.jwksUrl) return createRemoteJWKSet(new URL(options.jwksUrl));
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keys ??= discoverJwksUri(options.issuer, options.timeoutMs ?? 5000).then(
      (uri) => createRemoteJWKSet(new URL(uri)),
      (error: unknown) => {
        keys = undefined;
        throw error;
      },
    );
    return (await keys)(header, token);
  };
}
