/** Exit codes a script can rely on (documented in the README; never renumber). */
export const EXIT = {
  /** Done; for status and preflight: nothing waits, the app will get every secret. */
  ok: 0,
  /** The service refused or failed the request (not found, conflict, invalid value, ...). */
  failed: 1,
  /** A usage mistake: unknown command or flag, missing argument. */
  usage: 2,
  /** No profile, or the admin token was refused (401) or lacks the role (403). */
  auth: 3,
  /** The service could not be reached (connection refused, DNS, TLS, timeout). */
  unreachable: 4,
  /** status / preflight: something waits for an admin, or the app would not get a secret. */
  notReady: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure with its exit code; its message names what to fix and never holds a value or a token. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
