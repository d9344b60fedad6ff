import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXIT, resolveConnection } from "../src/index.js";
import { cliEnv, runCli, tmpDir } from "./harness.js";
import { expectNoLeak } from "./support.js";

// Real loopback HTTP servers that are not (or not quite) the Keyward admin API: a wrong URL, a web
// page, a proxy, a server that never answers. Each failure is one line on stderr naming the URL or
// the setting to fix, with a documented exit code, and never the token.
const TOKEN = "kwa_" + "t0k3n".repeat(8);

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** A server on 127.0.0.1 (port 0) answering with `handler`; resolves to its base URL. */
async function serve(handler: http.RequestListener): Promise<{ url: string; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const envFor = (url: string, extra: NodeJS.ProcessEnv = {}) => cliEnv({ KEYWARD_URL: url, KEYWARD_ADMIN_TOKEN: TOKEN, ...extra });

describe("a bad admin URL or timeout setting: exit 2 naming it, before any request", () => {
  it("KEYWARD_ADMIN_URL that is not a URL, or not http(s)", async () => {
    for (const bad of ["not-a-url", "localhost:8080", "ftp://127.0.0.1/", "http://"]) {
      const r = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: bad, KEYWARD_ADMIN_TOKEN: TOKEN }));
      expect(r.code, bad).toBe(EXIT.usage);
      expect(r.stderr).toBe(`error: KEYWARD_ADMIN_URL must be the admin API's http:// or https:// URL, such as http://127.0.0.1:8080; got ${JSON.stringify(bad)}\n`);
      expect(r.stdout).toBe("");
    }
  });

  it("KEYWARD_URL: a host:port is an app's gRPC address (ignored, and said so); an http URL that does not parse is named", async () => {
    const ignored = await runCli(["secrets", "list"], cliEnv({ KEYWARD_URL: "not-a-url", KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(ignored.code).toBe(EXIT.auth);
    expect(ignored.stderr).toBe("error: not logged in: run keyward login (or set KEYWARD_ADMIN_URL); KEYWARD_URL is not an http(s) URL, so the CLI takes it for an app's gRPC address and ignores it\n");
    const broken = await runCli(["secrets", "list", "--json"], cliEnv({ KEYWARD_URL: "http://exa mple:8080", KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(broken.code).toBe(EXIT.usage);
    expect(broken.stderr).toMatch(/^error: KEYWARD_URL must be the admin API's http:\/\/ or https:\/\/ URL.*got "http:\/\/exa mple:8080"\n$/);
    expect(broken.stdout).toBe("");
  });

  it("a profile's url, named with the profile and its file", async () => {
    const env = cliEnv({});
    fs.mkdirSync(env.KEYWARD_CONFIG_DIR!, { recursive: true });
    const file = path.join(env.KEYWARD_CONFIG_DIR!, "profiles.json");
    fs.writeFileSync(file, JSON.stringify({ current: "prod", profiles: { prod: { url: "keyward.internal:8080", token: TOKEN } } }));
    const r = await runCli(["tokens", "list"], env);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toBe(`error: the url of profile "prod" in ${file} must be the admin API's http:// or https:// URL, such as http://127.0.0.1:8080; got "keyward.internal:8080"\n`);
    expectNoLeak(r, TOKEN);
  });

  it("a user name or password in the URL is refused without echoing it; a query or fragment is refused", async () => {
    const withPassword = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: "https://admin:hunter2-password@keyward.example", KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(withPassword.code).toBe(EXIT.usage);
    expect(withPassword.stderr).toContain("KEYWARD_ADMIN_URL must not hold a user name or password");
    expectNoLeak(withPassword, "hunter2-password", TOKEN);
    const withQuery = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: "https://keyward.example/admin/?key=abc", KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(withQuery.code).toBe(EXIT.usage);
    expect(withQuery.stderr).toBe("error: KEYWARD_ADMIN_URL must be the admin API's base URL without a ?query or #fragment (the CLI adds /api/… to it), such as https://keyward.example/admin\n");
  });

  it("a token pasted into the URL variable is never echoed", async () => {
    const r = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: TOKEN, KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(r.code).toBe(EXIT.usage);
    expectNoLeak(r, TOKEN);
    const other = "kwa_" + "x".repeat(40);
    const r2 = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: other, KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(r2.code).toBe(EXIT.usage);
    expectNoLeak(r2, other, TOKEN);
  });

  it("KEYWARD_TIMEOUT_MS that is not a whole number of milliseconds in range", async () => {
    for (const bad of ["abc", "0", "-5", "1.5", "30s", "9999999999"]) {
      const r = await runCli(["secrets", "list"], envFor("http://127.0.0.1:9", { KEYWARD_TIMEOUT_MS: bad }));
      expect(r.code, bad).toBe(EXIT.usage);
      expect(r.stderr).toBe(`error: KEYWARD_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647 (how long to wait for the admin API), got ${JSON.stringify(bad)}\n`);
    }
  });

  it("resolveConnection normalises the URL and carries where it came from and the timeout", () => {
    expect(resolveConnection(cliEnv({ KEYWARD_ADMIN_URL: "http://127.0.0.1:8080/", KEYWARD_ADMIN_TOKEN: TOKEN }))).toMatchObject({ url: "http://127.0.0.1:8080", urlFrom: "KEYWARD_ADMIN_URL", timeoutMs: 30_000 });
    expect(resolveConnection(cliEnv({ KEYWARD_URL: "https://keyward.example/admin//", KEYWARD_ADMIN_TOKEN: TOKEN, KEYWARD_TIMEOUT_MS: "2500" }))).toMatchObject({ url: "https://keyward.example/admin", urlFrom: "KEYWARD_URL", timeoutMs: 2500 });
  });
});

describe("an answer that is not the admin API's", () => {
  it("200 with HTML: exit 1 naming the URL and the variable, for a table and for --json (stderr only)", async () => {
    const { url, seen } = await serve((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><html><body>Welcome</body></html>"));
    for (const argv of [["secrets", "list"], ["secrets", "list", "--json"]]) {
      const r = await runCli(argv, envFor(url));
      expect(r.code).toBe(EXIT.failed);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`error: ${url}/api/secrets answered HTTP 200 with HTML, not JSON: is KEYWARD_URL the Keyward admin API?\n`);
      expectNoLeak(r, TOKEN);
    }
    expect(seen[0]!.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("500 with {} (no problem body): exit 1 naming the URL", async () => {
    const { url } = await serve((_req, res) => res.writeHead(500, { "content-type": "application/json" }).end("{}"));
    const r = await runCli(["secrets", "list", "--json"], envFor(url));
    expect(r.code).toBe(EXIT.failed);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`error: ${url}/api/secrets answered HTTP 500 without a problem body: is KEYWARD_URL the Keyward admin API?\n`);
    expectNoLeak(r, TOKEN);
  });

  it("404 with text, 200 with malformed JSON or nothing: exit 1 saying what came back", async () => {
    const { url } = await serve((req, res) => {
      if (req.url?.startsWith("/api/secrets")) return res.writeHead(404, { "content-type": "text/plain" }).end("Cannot GET /api/secrets");
      if (req.url?.startsWith("/api/service-tokens")) return res.writeHead(200, { "content-type": "application/json" }).end('{"items": [');
      res.writeHead(200).end();
    });
    const notFound = await runCli(["secrets", "list"], envFor(url));
    expect([notFound.code, notFound.stderr]).toEqual([EXIT.failed, `error: ${url}/api/secrets answered HTTP 404 with text/plain, not JSON: is KEYWARD_URL the Keyward admin API?\n`]);
    const malformed = await runCli(["tokens", "list"], envFor(url));
    expect([malformed.code, malformed.stderr]).toEqual([EXIT.failed, `error: ${url}/api/service-tokens answered HTTP 200 with malformed JSON: is KEYWARD_URL the Keyward admin API?\n`]);
    const empty = await runCli(["signing-keys", "list"], envFor(url));
    expect(empty.code).toBe(EXIT.failed);
    expect(empty.stderr).toMatch(/answered HTTP 200 with an empty body, not JSON: is KEYWARD_URL the Keyward admin API\?\n$/);
  });

  it("a gateway's 502/503/504 without a problem body means the service is not reachable: exit 4", async () => {
    const { url } = await serve((_req, res) => res.writeHead(502, { "content-type": "text/html" }).end("<html><head><title>502 Bad Gateway</title></head></html>"));
    const r = await runCli(["secrets", "list"], cliEnv({ KEYWARD_ADMIN_URL: url, KEYWARD_ADMIN_TOKEN: TOKEN }));
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.stderr).toBe(`error: ${url}/api/secrets answered HTTP 502 with HTML, not JSON (a proxy or gateway in front of the service?): is the Keyward service running, and is KEYWARD_ADMIN_URL its admin API?\n`);
  });

  it("a proxy's own 401 page keeps exit 3 and says what answered", async () => {
    const { url } = await serve((_req, res) => res.writeHead(401, { "content-type": "text/html", "www-authenticate": "Basic" }).end("<html>401</html>"));
    const r = await runCli(["secrets", "list"], envFor(url));
    expect(r.code).toBe(EXIT.auth);
    expect(r.stderr).toBe(`error: ${url}/api/secrets answered HTTP 401 with HTML, not JSON: is KEYWARD_URL the Keyward admin API? (a proxy in front of it asking for its own sign-in?)\n`);
  });

  it("a problem body still reads as the admin API's refusal; a JSON answer still works", async () => {
    const { url } = await serve((req, res) => {
      if (req.url?.startsWith("/api/secrets")) return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: [], nextCursor: null }));
      res.writeHead(409, { "content-type": "application/problem+json" }).end(JSON.stringify({ type: "about:blank", title: "Conflict", status: 409, detail: "a signing key is already active" }));
    });
    const ok = await runCli(["secrets", "list", "--json"], envFor(url));
    expect(ok.code).toBe(EXIT.ok);
    expect(JSON.parse(ok.stdout)).toEqual([]);
    const refused = await runCli(["signing-keys", "list"], envFor(url));
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.stderr).toBe("error: Conflict: a signing key is already active\n");
  });
});

describe("a service that never answers: exit 4 after KEYWARD_TIMEOUT_MS, naming the URL", () => {
  it("no response headers", async () => {
    const { url } = await serve(() => {
      /* accepts the connection, never answers */
    });
    const started = Date.now();
    for (const argv of [["secrets", "list"], ["secrets", "list", "--json"]]) {
      const r = await runCli(argv, envFor(url, { KEYWARD_TIMEOUT_MS: "300" }));
      expect(r.code).toBe(EXIT.unreachable);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`error: no answer from ${url}/api/secrets within 0.3 s: is the Keyward service running there, and is KEYWARD_URL its admin API? (set KEYWARD_TIMEOUT_MS to wait longer than 300 ms)\n`);
      expectNoLeak(r, TOKEN);
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("keyward login takes KEYWARD_TIMEOUT_MS and names where its URL came from", async () => {
    const { url } = await serve(() => {
      /* accepts the connection, never answers */
    });
    const env = { ...cliEnv(), KEYWARD_TIMEOUT_MS: "300" };
    const hung = await runCli(["login", "--url", url], env, `${TOKEN}\n`);
    expect(hung.code).toBe(EXIT.unreachable);
    expect(hung.stderr).toMatch(/^error: no answer from http:\/\/127\.0\.0\.1:\d+\/api\/me within 0\.3 s/);
    expectNoLeak(hung, TOKEN);
    // Bad settings are named before the token is asked for (no stdin given), by their source.
    const badVar = await runCli(["login"], { ...cliEnv(), KEYWARD_ADMIN_URL: "127.0.0.1:8080" });
    expect([badVar.code, badVar.stderr]).toEqual([EXIT.usage, expect.stringContaining("KEYWARD_ADMIN_URL must be the admin API's http:// or https:// URL")]);
    const badFlag = await runCli(["login", "--url", "http://admin:hunter22@127.0.0.1:8080"], cliEnv());
    expect([badFlag.code, badFlag.stderr]).toEqual([EXIT.usage, expect.stringContaining("--url must not hold a user name or password")]);
    expect(badFlag.stderr).not.toContain("hunter22");
    const badTimeout = await runCli(["login", "--url", url], { ...cliEnv(), KEYWARD_TIMEOUT_MS: "soon" });
    expect([badTimeout.code, badTimeout.stderr]).toEqual([EXIT.usage, expect.stringContaining("KEYWARD_TIMEOUT_MS must be a whole number")]);
  });

  it("headers, then half a JSON body and silence", async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"items": [');
    });
    const r = await runCli(["secrets", "list"], envFor(url, { KEYWARD_TIMEOUT_MS: "300" }));
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.stderr).toMatch(/^error: no answer from http:\/\/127\.0\.0\.1:\d+\/api\/secrets within 0\.3 s/);
  });

  it("an audit export that stops sending fails instead of hanging; one that keeps sending is not cut off", async () => {
    let stall = true;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write('{"seq":1}\n');
      if (stall) return;
      // Slower overall than the timeout, but never silent for that long.
      let n = 1;
      const tick = setInterval(() => {
        n++;
        res.write(`{"seq":${n}}\n`);
        if (n === 5) {
          clearInterval(tick);
          res.end();
        }
      }, 150);
    });
    const out = path.join(tmpDir(), "audit.jsonl");
    const stalled = await runCli(["audit", "export", "--out", out], envFor(url, { KEYWARD_TIMEOUT_MS: "300" }));
    expect(stalled.code).toBe(EXIT.failed);
    expect(stalled.stderr).toContain(`${url}/api/audit/export stopped sending for 0.3 s (set KEYWARD_TIMEOUT_MS to wait longer than 300 ms)`);
    expect(fs.existsSync(out)).toBe(false);
    stall = false;
    const slow = await runCli(["audit", "export", "--out", out], envFor(url, { KEYWARD_TIMEOUT_MS: "300" }));
    expect(slow.stderr).toBe("");
    expect(slow.code).toBe(EXIT.ok);
    expect(fs.readFileSync(out, "utf8").trim().split("\n")).toHaveLength(5);
  });

  it("a refused connection keeps its message", async () => {
    const { url } = await serve(() => undefined);
    servers[0]!.closeAllConnections();
    await new Promise((r) => servers.splice(0)[0]!.close(r));
    const r = await runCli(["secrets", "list"], envFor(url));
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.stderr).toBe(`error: cannot reach the Keyward service at ${url} (ECONNREFUSED); is it running? check the URL with keyward login\n`);
  });
});
