import { destination, pino, stdTimeFunctions, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Any field with one of these names is replaced before a line is written. */
export const REDACTED_KEYS = ["value", "token", "authorization", "password", "secret", "masterKey", "plaintext"];

/**
 * Structured JSON logs (pino). Redaction is a second line of defence: the code never passes
 * values or tokens to the logger in the first place.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino(
    {
      name: options.name ?? "keyward",
      level: options.level ?? "info",
      redact: { paths, censor: "[redacted]" },
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
    },
    options.destination ?? destination({ fd: 1, sync: true }),
  );
}
