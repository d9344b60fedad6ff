import { closestName } from "../edit-distance.js";

type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * node:util parseArgs' errors in a command's words: `unknown flag --jsn (did you mean --json?)`,
 * `--name needs a value`, `--json takes no value`. Only flag names are quoted, never what followed
 * an `=`, so a mistyped `--tokn=VALUE` cannot echo VALUE. Other errors keep their first line.
 */
export function describeFlagError(error: unknown, options: FlagSpec): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (flag === undefined) return "unknown flag (see --help)";
    const long = Object.keys(options).map((name) => `--${name}`);
    const meant = flag.startsWith("--") ? closestName(flag, long, 2) : undefined;
    const hint = meant ? `did you mean ${meant}?` : "see --help for the flags";
    return `unknown flag ${flag} (${hint})`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // "Option '-n, --name <value>' argument missing" / "Option '--json' does not take an argument" /
    // "Option '--name' argument is ambiguous…" (the next word starts with "-").
    const flag = /^Option '(?:-[^,]+, )?(--?[^ ']+)/.exec(message)?.[1];
    if (flag !== undefined) {
      if (/argument missing$/.test(message)) return `${flag} needs a value`;
      if (/does not take an argument$/.test(message)) return `${flag} takes no value`;
      if (/argument is ambiguous/.test(message)) return `${flag} needs a value; to give one that starts with "-", write ${flag}=VALUE`;
    }
  }
  return message.split("\n")[0]!;
}
