import { DATABASE_URL_SCHEMES, databaseUrlScheme, parseDatabaseUrl } from "@keyward/secret-types";
import pg from "pg";
import { connected, failed } from "../result.js";
import type { Tester } from "../tester.js";

/** The schemes this tester connects to; the others the type accepts have no tester yet. */
const POSTGRES = new Set(["postgres", "postgresql"]);

/** URL parameters that name files on this server, which `pg` would read and present to the target. */
const FILE_PARAMS = ["sslcert", "sslkey", "sslrootcert"];

/**
 * URL parameters that would send the connection elsewhere than the URL's own host (which the metadata shows),
 * or set server options, or read this server's files and settings: refused, never passed to `pg`.
 */
const REFUSED_PARAMS = ["host", "hostaddr", "port", "dbname", "user", "password", "options", "service", "servicefile", "passfile", "sslcrl", "sslpassword", "replication"];

// The only URL parameters given to `pg` are ssl, sslmode and application_name; any other (connect_timeout, whose
// part the test's own timeout plays, Prisma's schema or connection_limit, …) is ignored.
/** `sslmode` values and the TLS settings they give `pg`. */
const SSL_MODES: Record<string, pg.ClientConfig["ssl"]> = {
  disable: false,
  // As pg reads them from a connection string (without libpq compatibility): TLS, with the certificate checked.
  prefer: {},
  require: {},
  "verify-ca": {},
  "verify-full": {},
  "no-verify": { rejectUnauthorized: false },
};

/** SQLSTATEs that mean the server refused this credential: class 28 (authorization) and an unknown database. */
const refusal = (code: string) => code.startsWith("28") || code === "3D000";

/**
 * database-url: the URL as the type reads it (secret-types' parseDatabaseUrl), then, for PostgreSQL,
 * connects with `pg`, runs `SELECT 1`, closes. Other schemes have no tester yet.
 */
export const databaseUrlTester: Tester = {
  label: "PostgreSQL",
  async run(value, { signal, timeoutMs }) {
    // Asked before parsing: the type's refusal of an unknown scheme lists every scheme, too long for a result.
    const scheme = databaseUrlScheme(value.trim());
    if (scheme !== undefined && !POSTGRES.has(scheme)) {
      // Only a scheme of the type's list is named; any other could be part of a mistyped secret.
      return failed("invalid", (DATABASE_URL_SCHEMES as readonly string[]).includes(scheme) ? `no tester for scheme ${scheme}` : "no tester for scheme");
    }
    const parsed = parseDatabaseUrl(value.trim());
    if (!parsed.ok) return failed("invalid", `database URL: ${parsed.problem}`);
    const { url } = parsed.value;
    const files = FILE_PARAMS.filter((p) => url.searchParams.has(p));
    if (files.length > 0) return failed("invalid", `the database URL names files on this server (${files.join(", ")})`);
    const config = clientConfig(url, parsed.value.host, parsed.value.port, parsed.value.database);
    if (typeof config === "string") return failed("invalid", config);
    const { password, ...rest } = config;
    // The test's own timeout decides (testCredential races it); pg's is a backstop that also frees the socket.
    // The password is a function so that pg never falls back to this server's PGPASSWORD or ~/.pgpass (it
    // does for an empty one), which would hand Keyward's own database password to the URL's host.
    const client = new pg.Client({
      ...rest,
      password: async () => password,
      connectionTimeoutMillis: timeoutMs + 1_000,
      query_timeout: timeoutMs + 1_000,
    });
    client.on("error", () => undefined); // a late socket error after the result must not crash the process
    const stop = () => void client.end().catch(() => undefined);
    signal.addEventListener("abort", stop, { once: true });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return connected();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
        if (code === "3D000") return failed("unauthorized", "PostgreSQL refused the connection: the database does not exist (3D000)");
        if (refusal(code)) return failed("unauthorized", `PostgreSQL refused the login (${code})`);
        return failed("unexpected", `PostgreSQL answered ${code}`);
      }
      throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      await client.end().catch(() => undefined);
    }
  },
};

/**
 * The `pg` client config from the URL's own host, port, database, user and password (what the metadata shows),
 * plus the allowed parameters; or the problem, which names no part of the value. Every field is set so that
 * `pg` never fills one from this server's environment (PGHOST, PGUSER, PGDATABASE, PGSSLMODE, …).
 */
function clientConfig(url: URL, host: string, port: number | undefined, database: string | undefined): (pg.ClientConfig & { password: string; host: string; user: string; database: string }) | string {
  const refused = REFUSED_PARAMS.filter((p) => url.searchParams.has(p));
  if (refused.length > 0) return `the database URL sets parameters the test does not follow (${refused.slice(0, 3).join(", ")}${refused.length > 3 ? ", …" : ""})`;
  // A host in brackets is an IPv6 address; any other must be a plain name or address: `pg` would take a host
  // that is (or percent-decodes to) a path for a unix socket on this server, such as Keyward's own database's.
  const bare = /^\[[0-9A-Fa-f:.]+\]$/.test(host) ? host.slice(1, -1) : host;
  if (/[%/\\\s]/.test(bare) || bare.startsWith("[")) return "the database URL's host must be a network host name or address, not a socket path";
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    return "the database URL's user or password is badly percent-encoded";
  }
  if (user === "") return "the database URL must name a user";
  let ssl: pg.ClientConfig["ssl"] = false;
  const sslParam = url.searchParams.get("ssl");
  if (sslParam !== null) {
    if (sslParam === "true" || sslParam === "1") ssl = {};
    else if (sslParam === "false" || sslParam === "0") ssl = false;
    else return "the database URL's ssl parameter must be true, false, 1 or 0";
  }
  const sslmode = url.searchParams.get("sslmode");
  if (sslmode !== null) {
    if (!Object.hasOwn(SSL_MODES, sslmode)) return `the database URL's sslmode must be one of ${Object.keys(SSL_MODES).join(", ")}`;
    ssl = SSL_MODES[sslmode];
  }
  const applicationName = url.searchParams.get("application_name");
  return {
    host: bare,
    port: port ?? 5432,
    user,
    password,
    database: database || user, // as libpq and pg do for none, but never PGDATABASE
    ssl: ssl === false ? false : { ...(ssl as object) },
    ...(applicationName ? { application_name: applicationName.slice(0, 63) } : {}),
  };
}
