import { isLoopbackHost, redirectOrigin } from "@keyward/common";
import { CliError, EXIT, type ExitCode } from "../exit-codes.js";

/** How long the CLI waits for the admin API unless KEYWARD_TIMEOUT_MS says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** setTimeout's limit: a longer delay would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** KEYWARD_TIMEOUT_MS, else the default; anything but a whole number of milliseconds in range is a usage error naming it. */
export function timeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.KEYWARD_TIMEOUT_MS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_TIMEOUT_MS;
  const ms = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new CliError(`KEYWARD_TIMEOUT_MS must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (how long to wait for the admin API), got ${shown(raw)}`, EXIT.usage);
  }
  return ms;
}

/**
 * The admin API's base URL, checked before any request: an http: or https: URL with a host, no
 * user name or password, no ?query or #fragment (the client appends /api/… to it). Returns it
 * normalised without trailing slashes; anything else is a usage error naming `from` (the variable
 * or profile it came from). `secrets` (the token) are never echoed back.
 */
export function checkAdminUrl(value: string, from: string, secrets: readonly (string | undefined)[] = []): string {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.host) {
    throw new CliError(`${from} must be the admin API's http:// or https:// URL, such as http://127.0.0.1:8080; got ${shown(value, secrets)}`, EXIT.usage);
  }
  if (url.username || url.password) {
    // Never echoed: the part before @ may be a password.
    throw new CliError(`${from} must not hold a user name or password; the admin token goes in KEYWARD_ADMIN_TOKEN or the profile (keyward login)`, EXIT.usage);
  }
  if (url.search || url.hash) {
    throw new CliError(`${from} must be the admin API's base URL without a ?query or #fragment (the CLI adds /api/… to it), such as ${url.origin}${url.pathname.replace(/\/+$/, "")}`, EXIT.usage);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/**
 * The warning for an admin URL (as checkAdminUrl returns it) that sends the admin token and secret
 * values in clear: plain http to a host that is not this machine. Undefined for https and loopback.
 */
export function cleartextWarning(baseUrl: string, from: string): string | undefined {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname)) return undefined;
  const source = from === baseUrl ? "" : ` (${from})`;
  return `warning: the admin URL ${url.origin}${source} is plain http to a host that is not this machine: the admin token and secret values travel in clear; use https\n`;
}

export interface GuardOptions {
  /** The connection's base URL (checked by checkAdminUrl). */
  baseUrl: string;
  /** Where that URL came from, for the hint of an answer that is not the admin API's: "KEYWARD_URL", `profile "prod"`, ... */
  urlFrom: string;
  /** The longest wait for the response headers, for a JSON body, and between the chunks of a streamed body. */
  timeoutMs: number;
  /** The admin token: scrubbed from every message as a last guard (no message is built from it). */
  token: string;
  fetch: typeof fetch;
}

/**
 * One admin API request with the CLI's guards: a timeout, and an answer that is not the admin
 * API's (HTML, not JSON, an error without a problem body) as a CliError naming the URL instead of a
 * JSON parse error. JSON bodies are read here (so the timeout covers them) and handed on as a new
 * Response; the audit export's NDJSON / CSV stream is handed on as a stream with an idle timeout.
 */
export async function guardedFetch(request: Request, options: GuardOptions): Promise<Response> {
  const requested = new URL(request.url);
  const where = `${requested.origin}${requested.pathname}`;
  const fail = (message: string, code: ExitCode) => new CliError(scrub(message, options.token), code);
  const waitHint = `set KEYWARD_TIMEOUT_MS to wait longer than ${options.timeoutMs} ms`;
  const timedOut = () => fail(`no answer from ${where} within ${seconds(options.timeoutMs)}: is the Keyward service running there, and is ${urlHint(options)} its admin API? (${waitHint})`, EXIT.unreachable);
  const deadline = new Deadline(options.timeoutMs);

  let response: Response;
  try {
    // redirect "manual": a redirect is never followed, since following it would re-send the
    // request's body (a secret value) to wherever the Location points.
    response = await options.fetch(new Request(request, { signal: AbortSignal.any([request.signal, deadline.signal]), redirect: "manual" }));
  } catch (error) {
    deadline.stop();
    if (deadline.expired) throw timedOut();
    if (error instanceof CliError || request.signal.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw fail(`cannot reach the Keyward service at ${options.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); is it running? check the URL with keyward login`, EXIT.unreachable);
  }

  if ((response.status >= 300 && response.status < 400 && response.status !== 304) || response.type === "opaqueredirect") {
    deadline.stop();
    await response.body?.cancel().catch(() => undefined);
    const status = response.status === 0 ? "a redirect" : `HTTP ${response.status}`;
    const origin = redirectOrigin(response, requested);
    throw fail(`the admin URL redirected: ${where} answered ${status}${origin ? ` to ${origin}` : ""}; the CLI does not follow redirects (they would re-send the request and any secret value in it elsewhere): set ${urlHint(options)} to the URL that answers, e.g. its https:// address`, EXIT.failed);
  }

  if (NULL_BODY_STATUS.has(response.status) || request.method === "HEAD") {
    deadline.stop();
    return response;
  }
  const type = (response.headers.get("content-type") ?? "").toLowerCase();
  if (response.ok && STREAMED_TYPE.test(type) && response.body) {
    deadline.stop();
    return streamed(response, response.body, deadline, () => fail(`${where} stopped sending for ${seconds(options.timeoutMs)} (${waitHint})`, EXIT.unreachable));
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (deadline.expired) throw timedOut();
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw fail(`${where} broke off its answer (${cause?.code ?? cause?.message ?? (error as Error).message}); is the Keyward service running there?`, EXIT.unreachable);
  } finally {
    deadline.stop();
  }

  const json = parseJson(text);
  if (response.ok ? json.ok : json.ok && isProblem(json.value)) return rebuilt(response, text);

  const status = response.status;
  const answered = `${where} answered HTTP ${status} ${json.ok ? "without a problem body" : `with ${bodyKind(type, text)}`}`;
  if (status === 502 || status === 503 || status === 504) {
    throw fail(`${answered} (a proxy or gateway in front of the service?): is the Keyward service running, and is ${urlHint(options)} its admin API?`, EXIT.unreachable);
  }
  const proxySignIn = status === 401 || status === 403 ? " (a proxy in front of it asking for its own sign-in?)" : "";
  throw fail(`${answered}: is ${urlHint(options)} the Keyward admin API?${proxySignIn}`, status === 401 || status === 403 ? EXIT.auth : EXIT.failed);
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
/** The admin API's only non-JSON answers the CLI reads: the audit export (GET /api/audit/export). */
const STREAMED_TYPE = /^(application\/x-ndjson|text\/csv)\b/;
const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/;

/** What a body that is not the JSON expected is, for the message: HTML, an empty body, malformed JSON, or its media type. */
function bodyKind(type: string, text: string): string {
  if (/^(text\/html|application\/xhtml\+xml)\b/.test(type) || /^\s*<(!doctype\s+html|html)\b/i.test(text)) return "HTML, not JSON";
  if (text.trim() === "") return "an empty body, not JSON";
  if (JSON_TYPE.test(type)) return "malformed JSON";
  const media = type.split(";")[0]!.trim();
  return media ? `${media}, not JSON` : "a body without a content type, not JSON";
}

/** RFC 9457 problem details as the admin API sends them: an object with a title or a detail. */
function isProblem(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const { title, detail } = value as { title?: unknown; detail?: unknown };
  return typeof title === "string" || typeof detail === "string";
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The response with its body already read; the transfer headers no longer describe it. */
function rebuilt(response: Response, text: string): Response {
  const headers = new Headers(response.headers);
  for (const name of ["content-encoding", "content-length", "transfer-encoding"]) headers.delete(name);
  return new Response(text, { status: response.status, statusText: response.statusText, headers });
}

/** The response with a body that fails with `timedOut()` when the service sends nothing for the timeout while it is read. */
function streamed(response: Response, body: ReadableStream<Uint8Array>, deadline: Deadline, timedOut: () => CliError): Response {
  const reader = body.getReader();
  const guarded = new ReadableStream<Uint8Array>({
    async pull(controller) {
      deadline.restart();
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(deadline.expired ? timedOut() : error);
      } finally {
        deadline.stop();
      }
    },
    cancel(reason) {
      deadline.stop();
      return reader.cancel(reason);
    },
  });
  return new Response(guarded, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** An abort signal on a restartable timer; `expired` tells a timeout from any other failure. */
class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly ms: number) {
    this.restart();
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get expired(): boolean {
    return this.controller.signal.aborted;
  }
  restart(): void {
    this.stop();
    if (this.expired) return;
    // Unref'd: an open socket keeps the process alive while it waits; the timer alone must not.
    this.timer = setTimeout(() => this.controller.abort(new DOMException("the admin API did not answer in time", "TimeoutError")), this.ms).unref();
  }
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

const urlHint = (options: GuardOptions) => options.urlFrom || options.baseUrl;
const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(3).replace(/0+$/, "")} s`);

/** Replaces a token (8 characters or more) with "…" in a message: a last guard, no message is built from one. */
function scrub(message: string, token: string | undefined): string {
  return token && token.length >= 8 ? message.split(token).join("…") : message;
}

/**
 * A setting's value quoted for a message: JSON-escaped, cut at 80 characters, with the token and
 * anything shaped like a Keyward token (kwa_…, kws_…) or a JWT replaced, should one be pasted there.
 */
function shown(value: string, secrets: readonly (string | undefined)[] = []): string {
  let text = value;
  for (const secret of secrets) text = scrub(text, secret);
  text = text.replace(/\bkw[a-z]_[\w-]{6,}/g, "kw…").replace(/\beyJ[\w-]{6,}(\.[\w-]*){0,2}/g, "…");
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 79)}…` : text);
}
