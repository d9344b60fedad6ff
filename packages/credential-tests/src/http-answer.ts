import { BodyTooLargeError, readCappedText } from "@keyward/common";
import { connected, failed, type CredentialTestResult } from "./result.js";

/** Reads at most this much of a body we parse (token endpoints); a test needs none of a large answer. */
const MAX_BODY = 64 * 1024;

/** Discards the body so the connection is released; never read into an error. */
export async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

/**
 * The JSON of a small answer, or undefined when it is not JSON or too large. A declared length past the limit
 * is not read at all; otherwise the body is read as a stream, and cancelled as soon as it passes the limit, so
 * that a value-chosen endpoint (a key file's token_uri) cannot make this server buffer a huge answer.
 */
export async function smallJson(res: Response): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readCappedText(res, MAX_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return undefined;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A provider's own error code ("invalid_client"), kept only when it looks like a code and not like free text. */
export function safeCode(code: unknown): string | undefined {
  return typeof code === "string" && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(code) ? code : undefined;
}

/** Maps an API's HTTP status to a result: 2xx connected, 401/403 unauthorized, anything else unexpected. */
export async function statusResult(label: string, res: Response, refused = "invalid API key"): Promise<CredentialTestResult> {
  await discard(res);
  if (res.ok) return connected();
  if (res.status === 401) return failed("unauthorized", `${label} answered 401: ${refused}`);
  if (res.status === 403) return failed("unauthorized", `${label} answered 403: access denied`);
  if (res.status === 429) return failed("unexpected", `${label} answered 429: rate limited or out of quota`);
  if (res.status === 404) return failed("unexpected", `${label} answered 404: check the base URL`);
  if (res.status >= 300 && res.status < 400) return failed("unexpected", `${label} answered ${res.status}: redirects are not followed`);
  return failed("unexpected", `${label} answered ${res.status}`);
}

/** The errors of an OAuth 2 token endpoint (RFC 6749 §5.2) that mean the credential itself was refused. */
const REFUSED = new Set(["invalid_client", "invalid_grant", "unauthorized_client"]);

/** Maps an OAuth 2 token answer: 200 with an access_token is connected; the token itself is dropped. */
export async function tokenResult(label: string, res: Response): Promise<CredentialTestResult> {
  const body = await smallJson(res);
  if (res.ok) {
    return typeof body?.access_token === "string" ? connected() : failed("unexpected", `${label} answered ${res.status} without an access token`);
  }
  const code = safeCode(body?.error);
  const text = `${label} answered ${res.status}${code ? `: ${code}` : ""}`;
  if (res.status === 401 || res.status === 403 || (code && REFUSED.has(code))) return failed("unauthorized", text);
  return failed("unexpected", text);
}
