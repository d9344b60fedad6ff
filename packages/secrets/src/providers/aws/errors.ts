import { ProviderError } from "../types.js";

/** What the SDK throws: a service exception (name = AWS error code) or a network / credential error. */
interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: "client" | "server";
  $retryable?: unknown;
}

const unauthenticated = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignature",
  "SignatureDoesNotMatch",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "MissingAuthenticationToken",
  "CredentialsProviderError",
]);
const throttled = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"]);
const network = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The AWS error code of an SDK error ("ThrottlingException"), or undefined for a non-AWS error. */
export function awsErrorCode(error: unknown): string | undefined {
  const e = error as AwsLikeError | null;
  // Network errors carry $metadata too, but no HTTP status: only an answer from AWS has a code.
  return e && typeof e === "object" && e.$metadata?.httpStatusCode !== undefined && typeof e.name === "string" ? e.name : undefined;
}

/**
 * Maps a failure of a whole call to a ProviderError. The message names the operation, the HTTP
 * status and the AWS code, never the SDK's message (which may quote request details).
 */
export function toProviderError(operation: string, error: unknown): ProviderError {
  const e = (error ?? {}) as AwsLikeError;
  const status = e.$metadata?.httpStatusCode;
  const code = awsErrorCode(error);
  const said = `AWS Secrets Manager ${operation} answered ${status ?? "?"} ${code ?? "error"}`;
  if (code !== undefined) {
    if (throttled.has(code)) return new ProviderError("throttled", said);
    if (unauthenticated.has(code)) return new ProviderError("unauthenticated", `${said}: the credentials were refused`);
    if (code === "AccessDeniedException" || status === 403) return new ProviderError("permission_denied", `${said}: the policy does not allow it`);
    if (status !== undefined && status >= 500) return new ProviderError("unavailable", said);
    return new ProviderError("internal", said);
  }
  if (e.name === "CredentialsProviderError") return new ProviderError("unauthenticated", "aws provider: no AWS credentials found by the default credential chain");
  if (e.name === "TimeoutError" || (typeof e.code === "string" && network.has(e.code))) {
    return new ProviderError("unavailable", `AWS Secrets Manager ${operation} could not be reached (${e.code ?? e.name})`);
  }
  return new ProviderError("unavailable", `AWS Secrets Manager ${operation} failed (${typeof e.name === "string" ? e.name : "error"})`);
}
