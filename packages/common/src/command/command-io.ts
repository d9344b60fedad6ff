import { parseArgs, type ParseArgsConfig } from "node:util";
import { isKeywardError } from "../errors/index.js";
import { describeFlagError } from "./flag-errors.js";

/** What every subcommand gets instead of touching process globals, so tests can run it in-process. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Where a command reads input (a secret value); absent in tests that give none. */
  stdin?: NodeJS.ReadableStream;
}

/** A command's entry point (contract: `run<Name>Command(argv, io)` resolves to the exit code). */
export type CommandRunner = (argv: string[], io: CommandIo) => Promise<number>;

/** A usage mistake: the runner prints it with the command's help and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The flag every command accepts. */
export const HELP_FLAG = { help: { type: "boolean", short: "h" } } as const;

export function portOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

/**
 * Runs a command body with the shared failure handling: usage errors print the help (exit 2),
 * expected failures print their message only (exit 1); neither prints a stack, a value or a token.
 */
export async function runWithHelp(io: CommandIo, help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n\n${help}`);
      return 2;
    }
    if (isKeywardError(error)) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;
type CommandArgs<O extends FlagOptions> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof HELP_FLAG & O }>>;

/**
 * A subcommand's whole frame: parses `argv` strictly against `options` (plus --help), prints `help`
 * for --help, and runs `body` under runWithHelp's failure handling.
 */
export function runCommand<O extends FlagOptions>(argv: string[], io: CommandIo, help: string, options: O, body: (args: CommandArgs<O>) => Promise<number>): Promise<number> {
  return runWithHelp(io, help, async () => {
    const all = { ...HELP_FLAG, ...options };
    let args: CommandArgs<O>;
    try {
      args = parseArgs({ args: argv, allowPositionals: true, strict: true, options: all }) as CommandArgs<O>;
    } catch (error) {
      throw new UsageError(describeFlagError(error, all as Parameters<typeof describeFlagError>[1]));
    }
    if ((args.values as { help?: boolean }).help) {
      io.stdout.write(help);
      return 0;
    }
    return body(args);
  });
}

