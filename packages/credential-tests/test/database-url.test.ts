// The database tester against the real PostgreSQL at 127.0.0.1:5432 (trust auth, so a refused login is
// shown with a database that does not exist), a closed port and a server that never answers.
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
beforeAll(async () => {
  [silent, passwordServer] = await Promise.all([startSilentServer(), startPgPasswordServer()]);
});
afterAll(async () => {
  await Promise.all([silent?.close(), passwordServer?.close()]);
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
});
