/**
 * Every expected failure in Keyward is a KeywardError with a `code` that callers switch over.
 * Messages name what is wrong and never carry a secret value or a token.
 */
export type ErrorCode =
  | "invalid_argument"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "conflict"
  | "config"
  | "crypto"
  | "internal";

export class KeywardError extends Error {
  readonly code: ErrorCode;
  /** A machine-readable reason, e.g. "token_pending" or "access_denied". */
  readonly reason: string | undefined;
  /** The field or setting at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { reason?: string; field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KeywardError";
    this.code = code;
    this.reason = options.reason;
    this.field = options.field;
  }
}

export const isKeywardError = (e: unknown): e is KeywardError => e instanceof KeywardError;
