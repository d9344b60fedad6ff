import type { CommandRunner } from "@keyward/common";
import { runLoginCommand, runLogoutCommand } from "./login.js";
import { runOnboardCommand } from "./onboard.js";

export interface CommandEntry {
  usage: string;
  summary: string;
  run: CommandRunner;
}

/** Every command; cli.ts only dispatches. Each runner prints its own --help. */
export const commands: Record<string, CommandEntry> = {
  login: { usage: "login --url URL [--environment NAME]", summary: "check an admin token and save it as a profile (0600)", run: runLoginCommand },
  logout: { usage: "logout [--profile NAME]", summary: "forget a saved profile", run: runLogoutCommand },
  onboard: { usage: "onboard [--non-interactive --answers-file FILE]", summary: "connect an app: schema, typed client, token, .env, health check, next step", run: runOnboardCommand },
};
