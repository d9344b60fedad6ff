import { isKeywardError } from "../errors/index.js";
import type { CommandIo, CommandRunner } from "./command-io.js";

/** One entry of a CLI's command table: its usage line and summary (for the help) and its runner. */
export interface CommandEntry {
  usage: string;
  summary: string;
  run: CommandRunner;
}

/** The command table as help lines: usage padded to one width, then the summary. */
export function commandLines(commands: Record<string, CommandEntry>): string[] {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length));
  return Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
}

/**
 * Runs `argv[0]`'s command from the table and resolves to its exit code: no command or help prints
 * `help` (exit 0), an unknown one names it with the help (exit 2).
 */
export function dispatchCommand(program: string, commands: Record<string, CommandEntry>, help: () => string, argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(help());
    return Promise.resolve(0);
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`${program}: unknown command "${name}"\n\n${help()}`);
    return Promise.resolve(2);
  }
  return command.run(rest, io);
}

/**
 * A bin's whole life: runs `main` on the process's argv and io, then exits with its code
 * explicitly (a socket still retrying must not keep the process alive). An unexpected failure
 * prints its message only, never a stack or a value, and exits 1.
 */
export function runProcess(program: string, main: (argv: string[], io: CommandIo) => Promise<number>): void {
  const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.stdout.write("", () => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`${program}: ${isKeywardError(error) || error instanceof Error ? error.message : String(error)}\n`, () => process.exit(1));
    },
  );
}
