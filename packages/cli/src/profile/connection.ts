import { createAdminClient, type AdminClient } from "@keyward/admin-client";
import { CliError, EXIT } from "../exit-codes.js";
import { checkAdminUrl, cleartextWarning, guardedFetch, timeoutFromEnv } from "./admin-fetch.js";
import { profilesFile } from "./paths.js";
import { readProfiles } from "./store.js";

/** Where and as whom the CLI talks to the admin API, after KEYWARD_ADMIN_URL / KEYWARD_ADMIN_TOKEN / KEYWARD_PROFILE overrides. */
export interface Connection {
  url: string;
  token: string;
  environment: string | undefined;
  /** The profile it came from, or "environment" when both overrides were set. */
  source: string;
  /** Where the URL came from ("KEYWARD_ADMIN_URL", "KEYWARD_URL", `the url of profile "prod"`), for messages; the URL itself when absent. */
  urlFrom?: string;
  /** How long to wait for each answer of the admin API (KEYWARD_TIMEOUT_MS); when absent, KEYWARD_TIMEOUT_MS of the process, else 30 s. */
  timeoutMs?: number;
}

/**
 * The admin API's URL from the environment: KEYWARD_ADMIN_URL, else KEYWARD_URL when it is an
 * http(s) URL. Apps use KEYWARD_URL for the gRPC address (host:port), so a host:port there is an
 * app's setting (from its .env), not the CLI's, and is ignored rather than misread.
 */
export function adminUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return adminUrlSetting(env)?.url;
}

/** adminUrlFromEnv with the variable it came from, for messages. */
export function adminUrlSetting(env: NodeJS.ProcessEnv): { url: string; from: string } | undefined {
  if (env.KEYWARD_ADMIN_URL) return { url: env.KEYWARD_ADMIN_URL, from: "KEYWARD_ADMIN_URL" };
  return env.KEYWARD_URL && /^https?:\/\//.test(env.KEYWARD_URL) ? { url: env.KEYWARD_URL, from: "KEYWARD_URL" } : undefined;
}

/**
 * The connection to use: flags over env variables over the current (or named) profile. The URL is
 * checked here (an http(s) URL, else exit 2 naming the variable or the profile), and so is
 * KEYWARD_TIMEOUT_MS, so a bad setting fails before any request.
 */
export function resolveConnection(env: NodeJS.ProcessEnv, flags: { profile?: string; environment?: string } = {}): Connection {
  const file = readProfiles(env);
  const name = flags.profile ?? env.KEYWARD_PROFILE ?? file.current;
  const profile = file.profiles[name];
  if (flags.profile !== undefined && !profile) throw new CliError(`no profile named "${name}"; run keyward login --profile ${name}`, EXIT.auth);
  const fromEnv = adminUrlSetting(env);
  const setting = fromEnv ?? (profile ? { url: profile.url, from: `the url of profile "${name}" in ${profilesFile(env)}` } : undefined);
  const token = env.KEYWARD_ADMIN_TOKEN ?? profile?.token;
  if (!setting?.url || !token) {
    const missing = [!setting?.url && "KEYWARD_ADMIN_URL", !token && "KEYWARD_ADMIN_TOKEN"].filter(Boolean).join(" and ");
    const ignored = !setting?.url && env.KEYWARD_URL ? "; KEYWARD_URL is not an http(s) URL, so the CLI takes it for an app's gRPC address and ignores it" : "";
    throw new CliError(`not logged in: run keyward login (or set ${missing})${ignored}`, EXIT.auth);
  }
  const url = checkAdminUrl(setting.url, setting.from, [token]);
  return {
    url,
    token,
    environment: flags.environment ?? env.KEYWARD_ENVIRONMENT ?? profile?.environment,
    source: fromEnv && env.KEYWARD_ADMIN_TOKEN ? "environment" : name,
    urlFrom: fromEnv ? fromEnv.from : `the url of profile "${name}"`,
    timeoutMs: timeoutFromEnv(env),
  };
}

/**
 * The typed admin client for a connection. Every request is guarded: a network failure or no
 * answer within the timeout becomes an "unreachable" CliError (exit 4) naming the URL, and an answer
 * that is not the admin API's (HTML, not JSON, an error without a problem body) a CliError saying
 * so, instead of a JSON parse error; a redirect is never followed (a CliError, exit 1, naming where it
 * pointed). A plain http URL to a host that is not loopback is warned about with `warn` (stderr),
 * once per client. No message holds the token.
 */
/** A command's stderr as adminClientFor's `warn`: its warning lands with the command's other output. */
export const stderrOf = (io: { stderr: NodeJS.WritableStream }) => (line: string) => void io.stderr.write(line);

export function adminClientFor(connection: Connection, fetchImpl: typeof fetch = fetch, warn: (line: string) => void = (line) => void process.stderr.write(line)): AdminClient {
  const baseUrl = checkAdminUrl(connection.url, connection.urlFrom ?? "the URL", [connection.token]);
  const timeoutMs = connection.timeoutMs ?? timeoutFromEnv(process.env);
  // Plain http off this machine is allowed (a private network, a sidecar) but said, once per client
  // (one per command), before its first request.
  let warning = cleartextWarning(baseUrl, connection.urlFrom ?? baseUrl);
  return createAdminClient({
    baseUrl,
    getToken: () => connection.token,
    fetch: (request) => {
      if (warning !== undefined) {
        warn(warning);
        warning = undefined;
      }
      return guardedFetch(request, { baseUrl, urlFrom: connection.urlFrom ?? baseUrl, timeoutMs, token: connection.token, fetch: fetchImpl });
    },
  });
}
