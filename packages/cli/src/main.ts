import { AdminApiError } from "@keyward/admin-client";
import { commandLines, dispatchCommand, isKeywardError, type CommandIo } from "@keyward/common";
import { commands } from "./commands/index.js";
import { CliError, EXIT } from "./exit-codes.js";

function help(): string {
  return [
    "keyward: manage a Keyward secrets service from the command line",
    "",
    "Usage: keyward <command> [options]   (keyward <command> --help for details)",
    "",
    ...commandLines(commands),
    "",
    "Exit codes: 0 ok, 1 refused or failed, 2 usage, 3 not logged in or not allowed, 4 service",
    "unreachable (or no answer within KEYWARD_TIMEOUT_MS, default 30000), 5 something waits",
    "(status, run, preflight). --json (every command but login, logout and run) prints JSON for scripts.",
    "Usage errors print the error, then the command's help, on stderr (exit 2).",
    "",
  ].join("\n");
}

/** What an admin API refusal means to a person, and the exit code a script sees. */
function apiFailure(error: AdminApiError): { message: string; code: number } {
  const detail = error.problem.detail ?? error.problem.title ?? `HTTP ${error.status}`;
  if (error.status === 401) return { message: `the admin token was refused (${detail}); run keyward login again`, code: EXIT.auth };
  if (error.status === 403) return { message: `not allowed: ${detail}`, code: EXIT.auth };
  if (error.problem.field === "environment") return { message: `${detail}; pick one that exists with --environment NAME (keyward status --all-environments lists them)`, code: EXIT.failed };
  if (error.problem.field === "expectedVersion") return { message: `${detail}, not the --expected-version given; check keyward secrets versions and try again`, code: EXIT.failed };
  // A conflict's title says what was refused ("Token cannot be approved"), its detail why.
  if (error.status === 409 && error.problem.title && error.problem.detail && !detail.includes(error.problem.title)) return { message: `${error.problem.title}: ${detail}`, code: EXIT.failed };
  return { message: detail, code: EXIT.failed };
}

/** Dispatches to src/commands and resolves to the exit code; expected failures print one line, never a stack, value or token. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await dispatchCommand("keyward", commands, help, argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof AdminApiError) {
      const { message, code } = apiFailure(error);
      io.stderr.write(`error: ${message}\n`);
      return code;
    }
    if (isKeywardError(error)) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}
