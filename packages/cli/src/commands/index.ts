import type { CommandEntry } from "@keyward/common";
import { APPROVALS_SUBCOMMANDS, runApprovalsCommand } from "./approvals.js";
import { AUDIT_SUBCOMMANDS, runAuditCommand } from "./audit.js";
import { CHANGE_REQUESTS_SUBCOMMANDS, runChangeRequestsCommand } from "./change-requests.js";
import { runImportCommand } from "./import.js";
import { runLoginCommand, runLogoutCommand } from "./login.js";
import { runOnboardCommand } from "./onboard.js";
import { runPreflightCommand } from "./preflight.js";
import { runRunCommand } from "./run.js";
import { runSecretsCommand, SECRETS_SUBCOMMANDS } from "./secrets.js";
import { runSigningKeysCommand, SIGNING_KEYS_SUBCOMMANDS } from "./signing-keys.js";
import { runStatusCommand } from "./status.js";
import { runTokensCommand, TOKENS_SUBCOMMANDS } from "./tokens.js";

/** A group's subcommands for its usage line, from the runners it dispatches to (so the help cannot miss one). */
const subs = (runners: Record<string, unknown>): string => Object.keys(runners).join("|");

/** Every command; cli.ts only dispatches. Each runner prints its own --help. */
export const commands: Record<string, CommandEntry> = {
  login: { usage: "login --url URL [--environment NAME]", summary: "check an admin token and save it as a profile (0600)", run: runLoginCommand },
  logout: { usage: "logout [--profile NAME]", summary: "forget a saved profile", run: runLogoutCommand },
  status: { usage: "status [--environment NAME | --all-environments]", summary: "what waits for an admin (exit 5 when something does)", run: runStatusCommand },
  approvals: { usage: `approvals [${subs(APPROVALS_SUBCOMMANDS)}]`, summary: "review pending tokens and access requests (interactive on a terminal)", run: runApprovalsCommand },
  "change-requests": { usage: `change-requests ${subs(CHANGE_REQUESTS_SUBCOMMANDS)}`, summary: "review and decide changes held in protected environments", run: runChangeRequestsCommand },
  secrets: { usage: `secrets ${subs(SECRETS_SUBCOMMANDS)}`, summary: "manage secrets and test credentials; values go in (prompt or stdin), never out", run: runSecretsCommand },
  "signing-keys": { usage: `signing-keys ${subs(SIGNING_KEYS_SUBCOMMANDS)}`, summary: "named signing keys services sign with (never their material)", run: runSigningKeysCommand },
  tokens: { usage: `tokens ${subs(TOKENS_SUBCOMMANDS)}`, summary: "service tokens (never the token itself)", run: runTokensCommand },
  audit: { usage: `audit ${subs(AUDIT_SUBCOMMANDS)}`, summary: "read, follow, verify and export the audit log", run: runAuditCommand },
  run: { usage: "run [--app DIR] [--watch] -- COMMAND [ARGS...]", summary: "run a command with the app's secrets as environment variables", run: runRunCommand },
  import: { usage: "import FILE | --from vault|aws|azure|infisical [--dry-run] [--overwrite]", summary: "import secrets from .env, JSON, Doppler, Infisical or Vault KV exports, or read a store directly", run: runImportCommand },
  preflight: { usage: "preflight [--app DIR] [--environment E] [--json]", summary: "will the app get every secret when it starts? (a deploy gate: exit 5 when not)", run: runPreflightCommand },
  onboard: { usage: "onboard [--non-interactive --answers-file FILE]", summary: "connect an app: schema, typed client, token, .env, health check, next step", run: runOnboardCommand },
};
