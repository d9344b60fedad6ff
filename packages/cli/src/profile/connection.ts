import { createAdminClient, type AdminClient } from "@keyward/admin-client";
import { CliError, EXIT } from "../exit-codes.js";
import { readProfiles } from "./store.js";

/** Where and as whom the CLI talks to the admin API, after KEYWARD_ADMIN_URL / KEYWARD_ADMIN_TOKEN / KEYWARD_PROFILE overrides. */
export interface Connection {
  url: string;
  token: string;
  environment: string | undefined;
  /** The profile it came from, or "environment" when both overrides were set. */
  source: string;
}

/**
 * The admin API's URL from the environment: KEYWARD_ADMIN_URL, else KEYWARD_URL when it is an
 * http(s) URL. Apps use KEYWARD_URL for the gRPC address (host:port), so a host:port there is an
 * app's setting (from its .env), not the CLI's, and is ignored rather than misread.
 */
export function adminUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  if (env.KEYWARD_ADMIN_URL) return env.KEYWARD_ADMIN_URL;
  return env.KEYWARD_URL && /^https?:\/\//.test(env.KEYWARD_URL) ? env.KEYWARD_URL : undefined;
}

/** The connection to use: flags over env variables over the current (or named) profile. */
export function resolveConnection(env: NodeJS.ProcessEnv, flags: { profile?: string; environment?: string } = {}): Connection {
  const file = readProfiles(env);
  const name = flags.profile ?? env.KEYWARD_PROFILE ?? file.current;
  const profile = file.profiles[name];
  if (flags.profile !== undefined && !profile) throw new CliError(`no profile named "${name}"; run keyward login --profile ${name}`, EXIT.auth);
  const url = adminUrlFromEnv(env) ?? profile?.url;
  const token = env.KEYWARD_ADMIN_TOKEN ?? profile?.token;
  if (!url || !token) {
    const missing = [!url && "KEYWARD_ADMIN_URL", !token && "KEYWARD_ADMIN_TOKEN"].filter(Boolean).join(" and ");
    throw new CliError(`not logged in: run keyward login (or set ${missing})`, EXIT.auth);
  }
  return {
    url: url.replace(/\/+$/, ""),
    token,
    environment: flags.environment ?? env.KEYWARD_ENVIRONMENT ?? profile?.environment,
    source: adminUrlFromEnv(env) && env.KEYWARD_ADMIN_TOKEN ? "environment" : name,
  };
}

/** The typed admin client for a connection; a network failure becomes an "unreachable" CliError naming the URL. */
export function adminClientFor(connection: Connection, fetchImpl: typeof fetch = fetch): AdminClient {
  return createAdminClient({
    baseUrl: connection.url,
    getToken: () => connection.token,
    fetch: async (request) => {
      try {
        return await fetchImpl(request);
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CliError(`cannot reach the Keyward service at ${connection.url} (${cause?.code ?? cause?.message ?? (error as Error).message}); is it running? check the URL with keyward login`, EXIT.unreachable);
      }
    },
  });
}
