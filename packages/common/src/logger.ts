import { destination, pino, stdTimeFunctions, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Field names that are always replaced before a line is written (compared case-insensitively). */
export const REDACTED_KEYS = [
  "value",
  "token",
  "authorization",
  "password",
  "passphrase",
  "secret",
  "masterKey",
  "auditKey",
  "apiKey",
  "privateKey",
  "cookie",
  "plaintext",
  "credential",
];

const EXACT = new Set(["value", "values", "plaintext", "auth", "authorization", "cookie", "cookies", "setcookie", "dsn"]);
/**
 * A field whose name, lower-cased without separators, ends in one of these is sensitive too:
 * accessToken, db_password, client-secret, signingKey, X-Api-Key, awsCredentials… A name that only
 * starts with one (keyId, tokenStatus, secretName) is a label, not a secret, and is kept.
 */
const SUFFIX = /(token|tokens|secret|secrets|password|passwords|passwd|pwd|passphrase|key|keys|credential|credentials|cookie|authorization|plaintext)$/;

/** Whether a field of this name is censored (cached: a process logs the same few names over and over). */
const verdicts = new Map<string, boolean>();
export function isSensitiveKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const folded = key.toLowerCase().replace(/[-_.\s]/g, "");
    verdict = EXACT.has(folded) || SUFFIX.test(folded);
    if (verdicts.size < 10_000) verdicts.set(key, verdict);
  }
  return verdict;
}

const CENSOR = "[redacted]";
/** Deeper than any line Keyward writes; bounds the work on a hostile or cyclic object. */
const MAX_DEPTH = 16;

// Keyward tokens (kws_ service tokens, kwa_ admin keys) and URL userinfo (scheme://user:password@host).
const TOKEN_IN_TEXT = /\bkw[sa]_[A-Za-z0-9_-]{8,}/g;
// Up to the last @ of the URL: a password with an unencoded / ? # or @ still ends at the host (a
// URL whose path or query holds an @ loses a little more than its userinfo, on the safe side).
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)(?:[^\s@]*@)+/gi;

/** A string with any token or URL credentials in it censored; the common case is two substring checks. */
export function redactText(text: string): string {
  if (!text.includes("kws_") && !text.includes("kwa_") && !text.includes("://")) return text;
  return text.replace(TOKEN_IN_TEXT, CENSOR).replace(URL_USERINFO, `$1${CENSOR}@`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Whether anything in `v` needs censoring: a sensitive key or a string carrying a secret. */
function needsRedaction(v: unknown, depth: number, seen: Set<object>): boolean {
  if (typeof v === "string") return redactText(v) !== v;
  if (!isObject(v) || seen.has(v)) return false;
  if (depth > MAX_DEPTH) return true;
  seen.add(v);
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (isSensitiveKey(k) || needsRedaction(v[k], depth + 1, seen)) return true;
  }
  // An Error's message and stack are not enumerable own fields, but pino writes them.
  if (v instanceof Error) return needsRedaction(v.message, depth + 1, seen) || needsRedaction(v.stack, depth + 1, seen);
  return false;
}

/**
 * A copy (same prototype and own properties, so an Error stays an Error) with sensitive fields and
 * text censored. `copies` maps each object met to its copy, so an object met twice (or a cycle) gets
 * the same censored copy, never the original. Below MAX_DEPTH nothing is kept at all.
 */
function censored(v: unknown, depth: number, copies: Map<object, unknown>): unknown {
  if (typeof v === "string") return redactText(v);
  if (!isObject(v)) return v;
  if (depth > MAX_DEPTH) return CENSOR;
  if (copies.has(v)) return copies.get(v);
  const copy = (Array.isArray(v) ? [...v] : Object.create(Object.getPrototypeOf(v) as object, Object.getOwnPropertyDescriptors(v))) as Record<string, unknown>;
  copies.set(v, copy);
  for (const k in copy) {
    if (!Object.hasOwn(copy, k)) continue;
    copy[k] = isSensitiveKey(k) ? CENSOR : censored(copy[k], depth + 1, copies);
  }
  if (v instanceof Error) {
    Object.defineProperty(copy, "message", { value: redactText(v.message), enumerable: false, writable: true, configurable: true });
    if (typeof v.stack === "string") Object.defineProperty(copy, "stack", { value: redactText(v.stack), enumerable: false, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Censors, at any depth and never touching the caller's objects: fields whose name is or ends in
 * a secret's name (case-insensitive: token, secret, password, key, authorization, credential…), and
 * in every string, Keyward tokens (kws_…, kwa_…) and URL credentials (scheme://user:pass@host). The
 * common case (nothing sensitive) is a walk with no allocation; pino's path-based `redact` with
 * wildcards cost several percent of a busy gRPC server's CPU.
 */
export function redactFields(o: Record<string, unknown>): Record<string, unknown> {
  return needsRedaction(o, 0, new Set()) ? (censored(o, 0, new Map()) as Record<string, unknown>) : o;
}

/**
 * Structured JSON logs (pino). Redaction is a second line of defence: the code never passes
 * values or tokens to the logger in the first place.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  const logger = pino(
    {
      name: options.name ?? "keyward",
      level: options.level ?? "info",
      formatters: { log: redactFields },
      // The message string is not a field: scan it too.
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) if (typeof args[i] === "string") args[i] = redactText(args[i] as string);
          return method.apply(this, args as Parameters<typeof method>);
        },
      },
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
    },
    options.destination ?? destination({ fd: 1, sync: true }),
  );
  // pino gives children no bindings formatter, so a child's bindings are censored here; every
  // descendant inherits this property (children are created with the parent as prototype).
  const child = Object.getPrototypeOf(logger).child as Logger["child"];
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactFields(bindings), childOptions);
  } as Logger["child"];
  return logger;
}
