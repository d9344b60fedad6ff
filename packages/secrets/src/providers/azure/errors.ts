import { ProviderError } from "../types.js";

interface AzureLikeError {
  name?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** Retry-After in seconds or as an HTTP date, in ms. */
function retryAfterMs(error: AzureLikeError): number | undefined {
  const header = error.response?.headers?.get("retry-after");
  if (header === undefined || header === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const network = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "REQUEST_SEND_ERROR"]);

/** The HTTP status of an answer from Key Vault, or undefined when there was none. */
export function azureStatus(error: unknown): number | undefined {
  const e = error as AzureLikeError | null;
  return e && typeof e === "object" && e.name === "RestError" && typeof e.statusCode === "number" ? e.statusCode : undefined;
}

/**
 * Maps a failure to a ProviderError with a secret-free message: the HTTP status and Key Vault's
 * error code, never the SDK's message (a credential's message can quote its configuration).
 */
export function toProviderError(what: string, error: unknown): ProviderError {
  const e = (error ?? {}) as AzureLikeError;
  const status = azureStatus(error);
  const code = typeof e.code === "string" ? e.code : undefined;
  if (e.name === "CredentialUnavailableError" || e.name === "AggregateAuthenticationError") {
    return new ProviderError("unauthenticated", `azure provider: no Azure credential is available (${e.name})`);
  }
  if (e.name === "AuthenticationError" || e.name === "AuthenticationRequiredError") {
    // MSAL reports a refused client secret (AADSTS7000215) as AuthenticationRequiredError.
    return new ProviderError("unauthenticated", `azure provider: Microsoft Entra ID refused the credential (${e.name})`);
  }
  if (status !== undefined) {
    const said = `Azure Key Vault answered ${status}${code === undefined ? "" : ` ${code}`} to ${what}`;
    if (status === 429) {
      const ms = retryAfterMs(e);
      return new ProviderError("throttled", said, ms === undefined ? {} : { retryAfterMs: ms });
    }
    if (status === 401) return new ProviderError("unauthenticated", said);
    if (status === 403) return new ProviderError("permission_denied", said);
    if (status >= 500) return new ProviderError("unavailable", said);
    return new ProviderError("internal", said);
  }
  if (code !== undefined && network.has(code)) return new ProviderError("unavailable", `Azure Key Vault could not be reached for ${what} (${code})`);
  if (error instanceof Error && /challenge|HTTPS/.test(error.message)) {
    // The SDK's challenge checks: the vault URL and the challenge's resource do not agree.
    return new ProviderError("invalid_config", `azure provider: Key Vault's authentication challenge was refused (${error.message.split(".")[0]})`);
  }
  return new ProviderError("unavailable", `Azure Key Vault ${what} failed (${typeof e.name === "string" ? e.name : "error"})`);
}
