import type { CommandEntry } from "@keyward/common";
import { runApprovalsCommand } from "./approvals.js";
import { runAuditCommand } from "./audit.js";
import { runChangeRequestsCommand } from "./change-requests.js";
import { runImportCommand } from "./import.js";
import { runLoginCommand, runLogoutCommand } from "./login.js";
import { runOnboardCommand } from "./onboard.js";
import { runPreflightCommand } from "./preflight.js";
import { runRunCommand } from "./run.js";
import { runSecretsCommand } from "./secrets.js";
import { runSigningKeysCommand } from "./signing-keys.js";
import { runStatusCommand } from "./status.js";
import { runTokensCommand } from "./tokens.js";

/** Every command; cli.ts only dispatches. Each runner prints its own --help. */
export const commands: Record<string, CommandEntry> = {
  login: { usage: "login --url URL [--environment NAME]", summary: "check an admin token and save it as a profile (0600)", run: runLoginCommand },
  logout: { usage: "logout [--profile NAME]", summary: "forget a saved profile", run: runLogoutCommand },
  status: { usage: "status [--environment NAME | --all-environments]", summary: "what waits for an admin (exit 5 when something does)", run: runStatusCommand },
  approvals: { usage: "approvals [list|approve|deny]", summary: "review pending tokens and access requests (interactive on a terminal)", run: runApprovalsCommand },
  "change-requests": { usage: "change-requests list|show|approve|reject", summary: "review and decide changes held in protected environments", run: runChangeRequestsCommand },
  secrets: { usage: "secrets list|create|set|disable|enable|rollback|versions", summary: "manage secrets; values go in (prompt or stdin), never out", run: runSecretsCommand },
  "signing-keys": { usage: "signing-keys list|create|rotate", summary: "named signing keys services sign with (never their material)", run: runSigningKeysCommand },
  tokens: { usage: "tokens list|approve|revoke", summary: "service tokens (never the token itself)", run: runTokensCommand },
  audit: { usage: "audit tail|verify|export", summary: "read, follow, verify and export the audit log", run: runAuditCommand },
  run: { usage: "run [--app DIR] [--watch] -- COMMAND [ARGS...]", summary: "run a command with the app's secrets as environment variables", run: runRunCommand },
  import: { usage: "import FILE [--format F] [--dry-run] [--overwrite]", summary: "import secrets from .env, JSON, Doppler, Infisical or Vault KV exports", run: runImportCommand },
  preflight: { usage: "preflight [--app DIR] [--environment E] [--json]", summary: "will the app get every secret when it starts? (a deploy gate: exit 5 when not)", run: runPreflightCommand },
  onboard: { usage: "onboard [--non-interactive --answers-file FILE]", summary: "connect an app: schema, typed client, token, .env, health check, next step", run: runOnboardCommand },
};
