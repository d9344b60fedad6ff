import type { CommandRunner } from "@keyward/common";
import { runLoginCommand, runLogoutCommand } from "./login.js";
import { runImportCommand } from "./import.js";
import { runPreflightCommand } from "./preflight.js";
import { runRunCommand } from "./run.js";

export interface CommandEntry {
  usage: string;
  summary: string;
  run: CommandRunner;
}

/** Every command; cli.ts only dispatches. Each runner prints its own --help. */
export const commands: Record<string, CommandEntry> = {
  login: { usage: "login --url URL [--environment NAME]", summary: "check an admin token and save it as a profile (0600)", run: runLoginCommand },
  run: { usage: "run [--app DIR] [--watch] -- COMMAND [ARGS...]", summary: "run a command with the app's secrets as environment variables", run: runRunCommand },
  import: { usage: "import FILE [--format F] [--dry-run] [--overwrite]", summary: "import secrets from .env, JSON, Doppler, Infisical or Vault KV exports", run: runImportCommand },
  preflight: { usage: "preflight [--app DIR] [--environment E] [--json]", summary: "will the app get every secret when it starts? (a deploy gate: exit 5 when not)", run: runPreflightCommand },
  logout: { usage: "logout [--profile NAME]", summary: "forget a saved profile", run: runLogoutCommand },
};
