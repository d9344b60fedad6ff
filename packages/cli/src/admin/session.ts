import type { AdminClient } from "@keyward/admin-client";
import type { CommandIo } from "@keyward/common";
import { adminClientFor, resolveConnection, type Connection, stderrOf } from "../profile/connection.js";

/** The flags every admin command takes: which profile, which environment, JSON for scripts. */
export const SESSION_FLAGS = {
  profile: { type: "string" },
  environment: { type: "string" },
  json: { type: "boolean" },
} as const;

/** Who the command talks to and how it answers: the typed client, its connection, --json. */
export interface Session {
  admin: AdminClient;
  connection: Connection;
  /** The environment to act in (--environment, KEYWARD_ENVIRONMENT, the profile's), or undefined for the instance's default. */
  environment: string | undefined;
  json: boolean;
}

/** Resolves the connection for an admin command from its flags (no profile is a CliError with exit 3). */
export function openSession(io: CommandIo, values: { profile?: string | undefined; environment?: string | undefined; json?: boolean | undefined }): Session {
  const connection = resolveConnection(io.env, {
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values.environment !== undefined ? { environment: values.environment } : {}),
  });
  return { admin: adminClientFor(connection, fetch, stderrOf(io)), connection, environment: connection.environment, json: values.json === true };
}

/** The `?environment=` query part for a session: omitted for the instance's default. */
export const environmentQuery = (session: Pick<Session, "environment">): { environment?: string } =>
  session.environment === undefined ? {} : { environment: session.environment };
