import { malformed, parsed } from "../result.js";
import type { ShapeResult } from "../types.js";
import { hasAmbiguousUserinfo, PERCENT_ENCODE_USERINFO } from "./url-authority.js";

export const DATABASE_URL_SCHEMES = ["postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "sqlserver", "mssql", "cockroachdb", "clickhouse", "amqp", "amqps"] as const;

/** A connection URL as the validator and the connection test both read it. */
export interface DatabaseUrl {
  /** Lower case, one of DATABASE_URL_SCHEMES. */
  scheme: string;
  host: string;
  port?: number;
  database?: string;
  /** The parsed URL (with its user, password and parameters); a MongoDB member list is cut to its first member. */
  url: URL;
}

/** The URL's scheme in lower case when the value starts `scheme://`, whether or not it is a database's. */
export function databaseUrlScheme(value: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
}

/** `scheme://[user[:password]@]host[:port]/database`, for the schemes in DATABASE_URL_SCHEMES. */
export function parseDatabaseUrl(value: string): ShapeResult<DatabaseUrl> {
  const scheme = databaseUrlScheme(value);
  if (!scheme) return malformed("must be a URL scheme://host/… (e.g. postgres://host:5432/db)");
  if (!(DATABASE_URL_SCHEMES as readonly string[]).includes(scheme)) return malformed(`scheme must be one of ${DATABASE_URL_SCHEMES.join(", ")}`);
  // MongoDB lists replica-set members (a:1,b:2), which URL cannot parse: the first one describes it.
  // The user info runs to the authority's last @ and may hold commas (RFC 3986 sub-delims); the member
  // list is after it and runs to the end of the authority, so a comma in a user or password is never
  // taken for one (which made the user name the host and part of the password the port).
  const parseable = value.replace(/^([^/]*\/\/(?:[^/?#]*@)?)([^/?#,@]+),[^/?#@]*(?=[/?#]|$)/, "$1$2");
  if (hasAmbiguousUserinfo(parseable)) return malformed(`the URL ${PERCENT_ENCODE_USERINFO}`);
  let url: URL;
  try {
    url = new URL(parseable);
  } catch {
    return malformed("must be a valid URL (check the host, the port and that the password is percent-encoded)");
  }
  if (url.hostname === "") return malformed("must name a host");
  let database: string;
  try {
    database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  } catch {
    return malformed("the database name is badly percent-encoded");
  }
  return parsed({ scheme, host: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), ...(database ? { database } : {}), url });
}
