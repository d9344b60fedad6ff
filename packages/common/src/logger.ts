import { destination, pino, stdTimeFunctions, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Any field with one of these names is replaced before a line is written. */
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
];

const SENSITIVE = new Set(REDACTED_KEYS);
const CENSOR = "[redacted]";
/** Levels below the line's top level that are searched: the top, and nested two deep. */
const DEPTH = 2;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function hasSensitive(o: Record<string, unknown>, depth: number): boolean {
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (SENSITIVE.has(k)) return true;
    const v = o[k];
    if (depth < DEPTH && isObject(v) && hasSensitive(v, depth + 1)) return true;
  }
  return false;
}

/** A copy (same prototype and own properties, so an Error stays an Error) with sensitive keys censored. */
function censored(o: Record<string, unknown>, depth: number): Record<string, unknown> {
  const copy = (Array.isArray(o) ? [...o] : Object.create(Object.getPrototypeOf(o) as object, Object.getOwnPropertyDescriptors(o))) as Record<string, unknown>;
  for (const k in copy) {
    if (!Object.hasOwn(copy, k)) continue;
    if (SENSITIVE.has(k)) copy[k] = CENSOR;
    else if (depth < DEPTH && isObject(copy[k]) && hasSensitive(copy[k], depth + 1)) copy[k] = censored(copy[k], depth + 1);
  }
  return copy;
}

/**
 * Censors any listed key at the top of a line or nested up to two deep, never touching the
 * caller's object. The common case (nothing sensitive) is a key scan with no allocation; pino's
 * path-based `redact` with wildcards cost several percent of a busy gRPC server's CPU.
 */
export function redactFields(o: Record<string, unknown>): Record<string, unknown> {
  return hasSensitive(o, 0) ? censored(o, 0) : o;
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
