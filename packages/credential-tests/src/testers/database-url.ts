import { DATABASE_URL_SCHEMES, databaseUrlScheme, parseDatabaseUrl } from "@keyward/secret-types";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { connected, failed } from "../result.js";
import type { Tester } from "../tester.js";

/** The schemes this tester connects to; the others the type accepts have no tester yet. */
const POSTGRES = new Set(["postgres", "postgresql"]);

/** URL parameters that name files on this server, which `pg` would read and present to the target. */
const FILE_PARAMS = ["sslcert", "sslkey", "sslrootcert"];

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
    const config = parseIntoClientConfig(value.trim());
    const password = typeof config.password === "string" ? config.password : "";
    // The test's own timeout decides (testCredential races it); pg's is a backstop that also frees the socket.
    // The password is a function so that pg never falls back to this server's PGPASSWORD or ~/.pgpass (it
    // does for an empty one), which would hand Keyward's own database password to the URL's host.
    const client = new pg.Client({
      ...config,
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
