import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { adminClientFor, CliError, EXIT } from "../src/index.js";
import { CLI_BIN, cliEnv, runCli } from "./harness.js";
import { expectNoLeak } from "./support.js";

// The admin CLI never follows a redirect: a 307 would re-send a PUT's body (a secret value) to the
// Location's origin. Real loopback servers: A (127.0.0.1) redirects, B (localhost, another origin)
// records whatever reaches it. And a plain http admin URL off this machine is warned about.
const TOKEN = "kwa_" + "r3d1r".repeat(8);
const VALUE = "sk_live_SUPERSECRET_value_4711";

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function listen(host: string, handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** B records every request; A answers GETs of a secret as the admin API would and redirects the rest (or everything) to B. */
async function redirecting(status: number, options: { redirectGets?: boolean } = {}) {
  const reached: Received[] = [];
  const target = await listen("localhost", (req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      reached.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ name: "STRIPE_API_KEY", environment: "development", version: 2 }));
    });
  });
  const url = await listen("127.0.0.1", (req, res) => {
    req.resume();
    if (req.method === "GET" && !options.redirectGets) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ name: "STRIPE_API_KEY", environment: "development", status: "active", currentVersion: 1 }));
      return;
    }
    res.statusCode = status;
    res.setHeader("location", `${target}${req.url}&from=redirect`);
    res.end();
  });
  return { url, target, reached };
}

describe("a redirect from the admin URL is refused, never followed", () => {
  it("secrets set: a 307 on the PUT exits 1 naming the redirect and its origin; the value never reaches the target", async () => {
    for (const status of [307, 308, 301, 302, 303]) {
      const { url, target, reached } = await redirecting(status);
      const r = await runCli(["secrets", "set", "STRIPE_API_KEY"], cliEnv({ KEYWARD_ADMIN_URL: url, KEYWARD_ADMIN_TOKEN: TOKEN }), `${VALUE}\n`);
      expect(r.code, String(status)).toBe(EXIT.failed);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        `error: the admin URL redirected: ${url}/api/secrets/STRIPE_API_KEY/value answered HTTP ${status} to ${target}; the CLI does not follow redirects (they would re-send the request and any secret value in it elsewhere): set KEYWARD_ADMIN_URL to the URL that answers, e.g. its https:// address\n`,
      );
      expect(reached).toEqual([]);
      expectNoLeak(r, TOKEN, VALUE, "from=redirect");
    }
  });

  it("adminClientFor: a redirected PUT rejects with a CliError (exit 1) and sends nothing to the target", async () => {
    const { url, target, reached } = await redirecting(307);
    const admin = adminClientFor({ url, token: TOKEN, environment: undefined, source: "test", urlFrom: "KEYWARD_ADMIN_URL", timeoutMs: 5000 });
    const error = await admin.PUT("/api/secrets/{name}/value", { params: { path: { name: "STRIPE_API_KEY" } }, body: { value: VALUE } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.failed);
    expect((error as CliError).message).toContain(`answered HTTP 307 to ${target}`);
    for (const secret of [TOKEN, VALUE, "from=redirect"]) expect((error as CliError).message).not.toContain(secret);
    expect(reached).toEqual([]);
  });

  it("a redirected GET (a proxy sending http to https) exits 1 the same way, with the token never sent on", async () => {
    const { url, target, reached } = await redirecting(301, { redirectGets: true });
    const r = await runCli(["secrets", "list"], cliEnv({ KEYWARD_URL: url, KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toMatch(new RegExp(`^error: the admin URL redirected: ${url}/api/secrets answered HTTP 301 to ${target}; .* set KEYWARD_URL to the URL that answers`));
    expect(reached).toEqual([]);
    expectNoLeak(r, TOKEN, "from=redirect");
  });
});

describe("plain http to a host that is not this machine: a warning on stderr, once per command", () => {
  it("adminClientFor warns once before its first request, naming where the URL came from", async () => {
    const lines: string[] = [];
    const admin = adminClientFor({ url: "http://keyward-admin.invalid:8080", token: TOKEN, environment: undefined, source: "test", urlFrom: "KEYWARD_ADMIN_URL", timeoutMs: 5000 }, fetch, (line) => lines.push(line));
    expect(lines).toEqual([]);
    for (let i = 0; i < 2; i++) await admin.GET("/api/me").catch(() => undefined);
    expect(lines).toEqual([
      "warning: the admin URL http://keyward-admin.invalid:8080 (KEYWARD_ADMIN_URL) is plain http to a host that is not this machine: the admin token and secret values travel in clear; use https\n",
    ]);
  });

  it("no warning for https, or http on loopback", async () => {
    const lines: string[] = [];
    for (const url of ["https://keyward-admin.invalid", "http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"]) {
      const admin = adminClientFor({ url, token: TOKEN, environment: undefined, source: "test", timeoutMs: 2000 }, fetch, (line) => lines.push(line));
      await admin.GET("/api/me").catch(() => undefined);
    }
    expect(lines).toEqual([]);
  });

  it("in-process, the warning goes to the command's own stderr", async () => {
    const result = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: "http://keyward-admin.invalid:8080", KEYWARD_ADMIN_TOKEN: TOKEN, KEYWARD_TIMEOUT_MS: "5000" }));
    expect(result.code).toBe(EXIT.unreachable);
    expect(result.stderr.split("\n")[0]).toMatch(/^warning: the admin URL http:\/\/keyward-admin\.invalid:8080 \(KEYWARD_ADMIN_URL\) is plain http/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it("the keyward binary: the warning line, then the command's own error; never the token", async () => {
    const env = cliEnv({ KEYWARD_ADMIN_URL: "http://keyward-admin.invalid:8080", KEYWARD_ADMIN_TOKEN: TOKEN, KEYWARD_TIMEOUT_MS: "5000" });
    const child = spawn(process.execPath, [CLI_BIN, "secrets", "list"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(EXIT.unreachable);
    const lines = stderr.split("\n");
    expect(lines[0]).toBe("warning: the admin URL http://keyward-admin.invalid:8080 (KEYWARD_ADMIN_URL) is plain http to a host that is not this machine: the admin token and secret values travel in clear; use https");
    expect(lines[1]).toMatch(/^error: cannot reach the Keyward service at http:\/\/keyward-admin\.invalid:8080/);
    expect(stderr.match(/^warning:/gm)).toHaveLength(1);
    expect(stdout).toBe("");
    expect(stderr).not.toContain(TOKEN);
  });
});
