// The database tester against the real PostgreSQL at 127.0.0.1:5432 (trust auth, so a refused login is
// shown with a database that does not exist), a closed port and a server that never answers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCredential } from "../src/index.js";
import { startPgPasswordServer, type PgPasswordServer } from "./fixtures/pg-password-server.js";
import { closedPort, startSilentServer, type Fake } from "./fixtures/servers.js";
import { expectFailure } from "./helpers.js";

const admin = new URL(process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const password = "pw-Db7c2f9a41e0"; // trust auth ignores it; it must still never show up in a result
const urlFor = (overrides: { port?: number; database?: string }) => {
  const url = new URL(admin.href);
  url.password = password;
  if (overrides.port) url.port = String(overrides.port);
  if (overrides.database) url.pathname = `/${overrides.database}`;
  return url.href;
};

let silent: Fake;
let passwordServer: PgPasswordServer;
// A PostgreSQL-like server on a unix socket, as the local PostgreSQL listens on /var/run/postgresql/.s.PGSQL.5432.
const socketDir = mkdtempSync(join(tmpdir(), "kw-pgsock-"));
const socketPort = 5999;
let socketServer: PgPasswordServer;
beforeAll(async () => {
  [silent, passwordServer, socketServer] = await Promise.all([
    startSilentServer(),
    startPgPasswordServer(),
    startPgPasswordServer(join(socketDir, `.s.PGSQL.${socketPort}`)),
  ]);
});
afterAll(async () => {
  await Promise.all([silent?.close(), passwordServer?.close(), socketServer?.close()]);
  rmSync(socketDir, { recursive: true, force: true });
});

describe("database-url", () => {
  it("connects, runs SELECT 1 and closes", async () => {
    expect(await testCredential("database-url", urlFor({}))).toEqual({ status: "connected" });
    expect(await testCredential("database-url", urlFor({}).replace(/^postgres:/, "postgresql:"))).toEqual({ status: "connected" });
  });

  it("maps a database that does not exist to unauthorized, without the URL or its password", async () => {
    const url = urlFor({ database: "keyward_no_such_db_17" });
    expectFailure(await testCredential("database-url", url), "unauthorized", [password, url], /3D000/);
  });

  it("maps a closed port to unreachable", async () => {
    const url = urlFor({ port: await closedPort() });
    expectFailure(await testCredential("database-url", url), "unreachable", [password, url], /^PostgreSQL is unreachable \(ECONNREFUSED\)$/);
  });

  it("maps a server that never answers to timeout within timeoutMs", async () => {
    const started = Date.now();
    const url = urlFor({ port: silent.port });
    expectFailure(await testCredential("database-url", url, { timeoutMs: 300 }), "timeout", [password, url], /within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(silent.hits).toBeGreaterThan(0);
  });

  it("maps a refused password (28P01) to unauthorized, without the password the server's message quotes", async () => {
    const url = `postgres://keyward:${password}@127.0.0.1:${passwordServer.port}/app`;
    expectFailure(await testCredential("database-url", url), "unauthorized", [password], /^PostgreSQL refused the login \(28P01\)$/);
    expect(passwordServer.passwords.at(-1)).toBe(password);
  });

  it("never sends this server's PGPASSWORD for a URL without a password", async () => {
    const own = "keyward-own-db-password-4711";
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = own;
    try {
      const result = await testCredential("database-url", `postgres://keyward@127.0.0.1:${passwordServer.port}/app`);
      expectFailure(result, "unauthorized", [own], /28P01/);
      expect(passwordServer.passwords.at(-1)).toBe("");
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });

  it("refuses a URL without a host or naming files on this server, before connecting", async () => {
    const before = passwordServer.passwords.length;
    expectFailure(await testCredential("database-url", "postgres:///app"), "invalid", [], /^database URL: must name a host$/);
    const url = `postgres://keyward:${password}@127.0.0.1:${passwordServer.port}/app?sslmode=require&sslkey=/etc/keyward/tls.key&sslrootcert=/etc/ssl/ca.pem`;
    expectFailure(await testCredential("database-url", url), "invalid", [password], /names files on this server \(sslkey, sslrootcert\)/);
    expect(passwordServer.passwords.length).toBe(before);
  });

  it("refuses other schemes and non-URLs without echoing them", async () => {
    expectFailure(await testCredential("database-url", "mysql://root:s3cretpassw0rd@db:3306/app"), "invalid", ["s3cretpassw0rd"], /^no tester for scheme mysql$/);
    expectFailure(await testCredential("database-url", "weird-scheme-pw123456://x"), "invalid", ["weird-scheme-pw123456"], /^no tester for scheme$/);
    expectFailure(await testCredential("database-url", "host=db password=s3cretpassw0rd"), "invalid", ["s3cretpassw0rd"], /^database URL: must be a URL scheme:\/\/host/);
    expectFailure(await testCredential("database-url", "postgres://u:s3cretpassw0rd@[bad/db"), "invalid", ["s3cretpassw0rd"], /^database URL: must be a valid URL/);
  });

  describe("connects only to the URL's own host, as the metadata shows it", () => {
    const reached = () => passwordServer.passwords.length + socketServer.passwords.length;

    it("refuses host=, hostaddr=, options= and other redirecting parameters, without connecting", async () => {
      const before = reached();
      const base = `postgres://keyward:${password}@db.example.invalid:${passwordServer.port}/app`;
      for (const [query, names] of [
        ["host=127.0.0.1", /\(host\)$/],
        [`host=${socketDir}`, /\(host\)$/],
        ["hostaddr=127.0.0.1", /\(hostaddr\)$/],
        ["options=-c%20search_path%3Dpg_catalog", /\(options\)$/],
        ["sslmode=disable&host=127.0.0.1&port=5432&user=postgres&dbname=postgres", /\(host, port, dbname, …\)$/],
      ] as const) {
        const url = `${base}?${query}`;
        expectFailure(await testCredential("database-url", url), "invalid", [password, url], names);
      }
      expect(reached()).toBe(before);
      // options= against the real PostgreSQL: it would have connected with the value's server settings.
      const withOptions = `${urlFor({})}?options=-c%20statement_timeout%3D1`;
      expectFailure(await testCredential("database-url", withOptions), "invalid", [password], /^the database URL sets parameters the test does not follow \(options\)$/);
    });

    it("refuses a host that is, or percent-decodes to, a unix socket path", async () => {
      const before = reached();
      const encoded = encodeURIComponent(socketDir);
      for (const url of [
        `postgres://keyward:${password}@${encoded}:${socketPort}/app`,
        `postgres://keyward:${password}@${encoded.toLowerCase()}:${socketPort}/app`,
        `postgres://keyward:${password}@%2Fvar%2Frun%2Fpostgresql/postgres`,
        `postgresql://postgres:${password}@%2Fvar%2Frun%2Fpostgresql:5432/postgres`,
      ]) {
        expectFailure(await testCredential("database-url", url), "invalid", [password, url], /^the database URL's host must be a network host name or address, not a socket path$/);
      }
      expect(reached()).toBe(before);
    });

    it("refuses a URL without a user rather than sending this server's PGUSER", async () => {
      const before = reached();
      expectFailure(await testCredential("database-url", `postgres://:${password}@127.0.0.1:${passwordServer.port}/app`), "invalid", [password], /^the database URL must name a user$/);
      expect(reached()).toBe(before);
    });

    it("follows sslmode and application_name, ignores other parameters, never PGHOST/PGDATABASE/PGSSLMODE", async () => {
      const saved = { PGHOST: process.env.PGHOST, PGDATABASE: process.env.PGDATABASE, PGSSLMODE: process.env.PGSSLMODE };
      process.env.PGHOST = socketDir;
      process.env.PGDATABASE = "keyward_no_such_db_17";
      process.env.PGSSLMODE = "require"; // the local PostgreSQL may not speak TLS: read, it would fail the test
      try {
        const url = `${urlFor({})}?sslmode=disable&application_name=keyward-test&schema=public&connect_timeout=5&connection_limit=1`;
        expect(await testCredential("database-url", url)).toEqual({ status: "connected" });
        const noDatabase = new URL(urlFor({}));
        noDatabase.pathname = "";
        expect(await testCredential("database-url", noDatabase.href)).toEqual({ status: "connected" }); // the user's database: postgres
        expectFailure(await testCredential("database-url", `${urlFor({})}?sslmode=bogus-mode`), "invalid", [password], /sslmode must be one of/);
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      expect(socketServer.passwords).toEqual([]);
    });
  });
});
