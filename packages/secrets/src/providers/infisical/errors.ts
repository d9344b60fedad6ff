import { ProviderError } from "../types.js";

/**
 * The SDK reports a failed request as InfisicalSDKRequestError whose message carries
 * "[StatusCode=NNN]" (it keeps no status field); a network failure as InfisicalSDKError.
 */
export function infisicalStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== "InfisicalSDKRequestError") return undefined;
  const m = /\[StatusCode=(\d{3})\]/.exec(error.message);
  return m ? Number(m[1]) : undefined;
}

/** Maps a failure to a ProviderError with a secret-free message (never the SDK's, which quotes the URL and server text). */
export function toProviderError(what: string, error: unknown): ProviderError {
  const status = infisicalStatus(error);
  if (status === undefined) {
    const name = error instanceof Error ? error.name : "error";
    return new ProviderError("unavailable", `Infisical could not be reached for ${what} (${name})`);
  }
  return statusError(what, status);
}

/** An HTTP status Infisical answered to `what`, as a ProviderError. */
export function statusError(what: string, status: number): ProviderError {
  const said = `Infisical answered ${status} to ${what}`;
  if (status === 429) return new ProviderError("throttled", said);
  if (status === 401) return new ProviderError("unauthenticated", `${said}: the machine identity's credentials were refused`);
  if (status === 403) return new ProviderError("permission_denied", said);
  if (status >= 500) return new ProviderError("unavailable", said);
  return new ProviderError("internal", said);
}
