import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { connected, failed } from "../result.js";
import type { Tester } from "../tester.js";

/** Schemes we name when refusing them; any other scheme is not echoed (it could be part of a mistyped secret). */
const KNOWN_SCHEMES = new Set(["mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "sqlserver", "mssql", "sqlite", "file", "jdbc"]);

/** URL parameters that name files on this server, which `pg` would read and present to the target. */
const FILE_PARAMS = ["sslcert", "sslkey", "sslrootcert"];

/** SQLSTATEs that mean the server refused this credential: class 28 (authorization) and an unknown database. */
const refusal = (code: string) => code.startsWith("28") || code === "3D000";

/** database-url: connects to PostgreSQL with `pg`, runs `SELECT 1`, closes. Other schemes have no tester yet. */
export const databaseUrlTester: Tester = {
  label: "PostgreSQL",
  async run(value, { signal, timeoutMs }) {
    const scheme = /^([a-z][a-z0-9+.-]{0,30}):/i.exec(value.trim())?.[1]?.toLowerCase();
    if (!scheme) return failed("invalid", "the value is not a URL");
    if (scheme !== "postgres" && scheme !== "postgresql") {
      return failed("invalid", KNOWN_SCHEMES.has(scheme) ? `no tester for scheme ${scheme}` : "no tester for scheme");
    }
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      return failed("invalid", "the database URL does not parse");
    }
    if (!url.hostname && !url.searchParams.has("host")) return failed("invalid", "the database URL has no host");
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
