import { ProviderError } from "../types.js";
import type { ResolvedVaultConfig } from "./config.js";

export interface VaultResponse {
  status: number;
  body: Record<string, unknown> | undefined;
  retryAfterMs: number | undefined;
}

/** Retry-After in seconds (or an HTTP date) as milliseconds. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** " to https://host:port" for a redirect's Location (its origin only, never its path or query). */
function redirectTarget(res: Response): string {
  const location = res.headers.get("location");
  if (!location) return "";
  try {
    return ` to ${new URL(location, res.url).origin}`;
  } catch {
    return "";
  }
}

/** Vault's own words about a failure, from {"errors": [...]}: short, and free of values and tokens. */
export function vaultErrors(res: VaultResponse): string {
  const errors = res.body?.errors;
  const text = Array.isArray(errors) ? errors.filter((e): e is string => typeof e === "string").join("; ") : "";
  return text === "" ? `HTTP ${res.status}` : text.slice(0, 300);
}

/**
 * One call to Vault's HTTP API with the namespace header and the token (when given). Only failures
 * in transit throw (unavailable); every HTTP answer is returned for the caller to read.
 */
export async function vaultRequest(config: ResolvedVaultConfig, method: "GET" | "POST", path: string, options: { token?: string; body?: unknown; signal: AbortSignal }): Promise<VaultResponse> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (config.namespace) headers["x-vault-namespace"] = config.namespace;
  if (options.token) headers["x-vault-token"] = options.token;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    // redirect "manual": a redirect is never followed, since following it would send the token
    // (and an AppRole login's secret_id) to wherever the Location points.
    res = await fetch(`${config.address}/v1/${path}`, { method, headers, redirect: "manual", signal: options.signal, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  } catch (error) {
    if (options.signal.aborted) throw new ProviderError("unavailable", `Vault at ${config.address} did not answer in time`);
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new ProviderError("unavailable", `cannot reach Vault at ${config.address} (${cause})`);
  }
  if ((res.status >= 300 && res.status < 400) || res.type === "opaqueredirect") {
    await res.body?.cancel().catch(() => undefined);
    throw new ProviderError("invalid_config", `Vault at ${config.address} answered ${res.status === 0 ? "a redirect" : `HTTP ${res.status}`}${redirectTarget(res)}; redirects are refused so the Vault token is never sent elsewhere: set vault.address to the server that answers`);
  }
  const text = await res.text().catch(() => "");
  let body: Record<string, unknown> | undefined;
  try {
    body = text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, retryAfterMs: retryAfterMs(res.headers.get("retry-after")) };
}

/**
 * The ProviderError for an answer that fails the whole call (throttling, a sealed or failing
 * server), or undefined when the answer is about the request itself (403, 404…).
 */
export function transientError(res: VaultResponse, what: string): ProviderError | undefined {
  const options = res.retryAfterMs === undefined ? {} : { retryAfterMs: res.retryAfterMs };
  if (res.status === 429) return new ProviderError("throttled", `Vault throttled ${what} (429: ${vaultErrors(res)})`, options);
  if (res.status === 503) return new ProviderError("unavailable", `Vault could not ${what} (503: ${vaultErrors(res)})`, options);
  if (res.status >= 500) return new ProviderError("unavailable", `Vault failed to ${what} (${res.status}: ${vaultErrors(res)})`, options);
  return undefined;
}
