import { createAdminClient, type AdminClient } from "@keyward/admin-client";
import { CliError, EXIT } from "../exit-codes.js";
import { readProfiles } from "./store.js";

/** Where and as whom the CLI talks to the admin API, after KEYWARD_URL / KEYWARD_ADMIN_TOKEN / KEYWARD_PROFILE overrides. */
export interface Connection {
  url: string;
  token: string;
  environment: string | undefined;
  /** The profile it came from, or "environment" when both overrides were set. */
  source: string;
}

/** The connection to use: flags over env variables over the current (or named) profile. */
export function resolveConnection(env: NodeJS.ProcessEnv, flags: { profile?: string; environment?: string } = {}): Connection {
  const file = readProfiles(env);
  const name = flags.profile ?? env.KEYWARD_PROFILE ?? file.current;
  const profile = file.profiles[name];
  if (flags.profile !== undefined && !profile) throw new CliError(`no profile named "${name}"; run keyward login --profile ${name}`, EXIT.auth);
  const url = env.KEYWARD_URL ?? profile?.url;
  const token = env.KEYWARD_ADMIN_TOKEN ?? profile?.token;
  if (!url || !token) {
    const missing = [!url && "KEYWARD_URL", !token && "KEYWARD_ADMIN_TOKEN"].filter(Boolean).join(" and ");
    throw new CliError(`not logged in: run keyward login (or set ${missing})`, EXIT.auth);
  }
  return {
    url: url.replace(/\/+$/, ""),
    token,
    environment: flags.environment ?? env.KEYWARD_ENVIRONMENT ?? profile?.environment,
    source: env.KEYWARD_URL && env.KEYWARD_ADMIN_TOKEN ? "environment" : name,
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
