import type { Environment } from "@keyward/db";
import { UsageError } from "@keyward/common";

/** The flags of a command that changes a protected environment only with --break-glass. */
export const BREAK_GLASS_FLAGS = { "break-glass": { type: "boolean" }, reason: { type: "string" } } as const;

export const BREAK_GLASS_HELP = `  --break-glass --reason "<why>"
                       act in a protected environment anyway (an emergency): the change is made
                       directly and its audit row's reason says "break-glass: <why>". Without it a
                       protected environment is refused (exit 2): such a change goes through the
                       admin API as a change request another person approves.`;

/**
 * The audit reason of a break-glass action ("break-glass: <why>"), or undefined without the flag.
 * --break-glass needs a non-empty --reason, and --reason goes only with it (exit 2 otherwise):
 * checked before anything is opened.
 */
export function breakGlassReason(values: { "break-glass"?: boolean | undefined; reason?: string | undefined }): string | undefined {
  if (values["break-glass"]) {
    if (values.reason === undefined) throw new UsageError('--break-glass needs --reason "<why>": the audit log records it');
    if (values.reason.trim() === "") throw new UsageError('--reason is empty: say why you break glass, e.g. --reason "incident 42: rotate the leaked key"');
    if (values.reason.length > 500) throw new UsageError(`--reason is ${values.reason.length} characters; at most 500`);
    return `break-glass: ${values.reason.trim()}`;
  }
  if (values.reason !== undefined) throw new UsageError("--reason goes with --break-glass");
  return undefined;
}

/**
 * One admin alone cannot change a protected environment: the CLI, which acts on the database
 * directly, refuses unless --break-glass --reason was given (exit 2 naming the environment).
 */
export function assertUnprotected(environment: Pick<Environment, "name" | "protected">, breakGlass: string | undefined, what: string): void {
  if (!environment.protected || breakGlass !== undefined) return;
  throw new UsageError(
    `environment ${environment.name} is protected: ${what} there goes through the admin API as a change request another person approves; to act directly anyway (an emergency), pass --break-glass --reason "<why>"`,
  );
}
