import { UsageError, runWithHelp, type CommandIo, type CommandRunner } from "@keyward/common";

/**
 * Dispatches `keyward <group> <sub> …` to the group's runners. `--help` prints the group's help;
 * no subcommand runs `bare` when the group has a default (`keyward approvals`), else is a usage error.
 */
export function runSubcommand(argv: string[], io: CommandIo, group: string, help: string, runners: Record<string, CommandRunner>, bare?: CommandRunner): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || sub === "help") {
    io.stdout.write(help);
    return Promise.resolve(0);
  }
  if ((sub === undefined || sub.startsWith("-")) && bare) return bare(argv, io);
  const runner = sub !== undefined && Object.hasOwn(runners, sub) ? runners[sub] : undefined;
  if (runner) return runner(rest, io);
  const choices = Object.keys(runners).join(", ");
  return runWithHelp(io, help, () => {
    throw new UsageError(sub === undefined ? `missing the ${group} command: one of ${choices}` : `unknown ${group} command "${sub}"; use one of ${choices}`);
  });
}
