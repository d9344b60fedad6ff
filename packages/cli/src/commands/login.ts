import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import { unwrap } from "@keyward/admin-client";
import { checkAdminUrl, timeoutFromEnv } from "../profile/admin-fetch.js";
import { adminClientFor, adminUrlSetting, stderrOf } from "../profile/connection.js";
import { readProfiles, writeProfiles } from "../profile/store.js";
import { readSecret } from "../prompt/read-secret.js";

export const LOGIN_HELP = `Usage:
  keyward login --url URL [--environment NAME] [--profile NAME]    (the admin token from a hidden prompt or stdin)
  keyward logout [--profile NAME]

login checks the admin token against the service (GET /api/me) and saves the URL, the token and the
default environment as a profile in profiles.json under the config directory (KEYWARD_CONFIG_DIR,
else $XDG_CONFIG_HOME/keyward, else ~/.config/keyward), written with mode 0600. The token is never
taken from argv, so it stays out of shell history and the process list.

  --url URL            the service's admin API, e.g. http://127.0.0.1:8080
  --environment NAME   the environment commands use when they are given none
  --profile NAME       the profile to save (default: "default"); it becomes the current one

KEYWARD_ADMIN_URL (or KEYWARD_URL when it is an http(s) URL; apps use KEYWARD_URL for the gRPC
address), KEYWARD_ADMIN_TOKEN, KEYWARD_ENVIRONMENT and KEYWARD_PROFILE override a profile.
`;

export function runLoginCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, LOGIN_HELP, { url: { type: "string" }, environment: { type: "string" }, profile: { type: "string" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`login takes no arguments (the token is read from a prompt or stdin), got "${positionals[0]}"`);
    const setting = values.url !== undefined ? { url: values.url, from: "--url" } : adminUrlSetting(io.env);
    if (!setting) throw new UsageError("missing --url, e.g. keyward login --url http://127.0.0.1:8080");
    // Both checked before the token is asked for: a bad setting is named by where it came from.
    const url = checkAdminUrl(setting.url, setting.from);
    const timeoutMs = timeoutFromEnv(io.env);
    const token = io.env.KEYWARD_ADMIN_TOKEN ?? (await readSecret(io.stdin, io.stderr, "admin token"));
    const connection = { url, token, environment: values.environment, source: values.profile ?? "default", urlFrom: setting.from, timeoutMs };
    const admin = adminClientFor(connection, fetch, stderrOf(io));
    const me = await unwrap(admin.GET("/api/me"));
    if (values.environment !== undefined) {
      const { items } = await unwrap(admin.GET("/api/environments"));
      if (!items.some((e) => e.name === values.environment)) throw new UsageError(`unknown environment "${values.environment}"; the service has ${items.map((e) => e.name).join(", ")}`);
    }
    const file = readProfiles(io.env);
    const name = values.profile ?? "default";
    file.profiles[name] = { url: connection.url, token, ...(values.environment !== undefined ? { environment: values.environment } : {}) };
    file.current = name;
    const path = writeProfiles(io.env, file);
    io.stdout.write(`logged in to ${connection.url} as ${me.name} (${me.role}); profile "${name}" saved to ${path}\n`);
    return 0;
  });
}

export function runLogoutCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, LOGIN_HELP, { profile: { type: "string" } }, async ({ values }) => {
    const file = readProfiles(io.env);
    const name = values.profile ?? file.current;
    if (!file.profiles[name]) {
      io.stdout.write(`no profile "${name}"; nothing to do\n`);
      return 0;
    }
    delete file.profiles[name];
    writeProfiles(io.env, file);
    io.stdout.write(`profile "${name}" removed (its token is still valid on the server; revoke it there if it leaked)\n`);
    return 0;
  });
}
