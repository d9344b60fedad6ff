import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT, profilesFile } from "../src/index.js";
import { cliEnv, runCli, useService } from "./harness.js";

const sut = useService();

describe("keyward login", () => {
  it("checks the token against the service and saves a 0600 profile; the token never reaches the output", async () => {
    const env = cliEnv();
    const result = await runCli(["login", "--url", sut.adminUrl, "--environment", "staging"], env, `${sut.token}\n`);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/logged in to http:\/\/127\.0\.0\.1:\d+ as .* \(owner\); profile "default" saved/);
    expect(result.stdout).not.toContain(sut.token);
    const file = profilesFile(env);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(saved).toEqual({ current: "default", profiles: { default: { url: sut.adminUrl, token: sut.token, environment: "staging" } } });
  });

  it("refuses a wrong token with exit 3 and saves nothing", async () => {
    const env = cliEnv();
    const wrong = "kwa_" + "x".repeat(40);
    const result = await runCli(["login", "--url", sut.adminUrl], env, wrong);
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toMatch(/admin token was refused.*keyward login again/);
    expect(result.stderr + result.stdout).not.toContain(wrong);
    expect(fs.existsSync(profilesFile(env))).toBe(false);
  });

  it("names an unknown environment and an unreachable service", async () => {
    const env = cliEnv();
    const unknown = await runCli(["login", "--url", sut.adminUrl, "--environment", "qa"], env, sut.token);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/unknown environment "qa"; the service has development, staging, production/);
    const port = await closedPort();
    const down = await runCli(["login", "--url", `http://127.0.0.1:${port}`], env, sut.token);
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.stderr).toContain(`cannot reach the Keyward service at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("refuses a token on argv, a missing URL and an empty token as usage errors", async () => {
    const env = cliEnv();
    expect((await runCli(["login", "--url", sut.adminUrl, sut.token], env, sut.token)).code).toBe(EXIT.usage);
    expect((await runCli(["login"], env, sut.token)).stderr).toMatch(/missing --url/);
    const empty = await runCli(["login", "--url", sut.adminUrl], env, "\n");
    expect(empty.code).toBe(EXIT.usage);
    expect(empty.stderr).toMatch(/admin token on stdin is empty/);
  });

  it("names a malformed profiles file and how to fix it", async () => {
    const env = cliEnv();
    fs.mkdirSync(path.dirname(profilesFile(env)), { recursive: true });
    fs.writeFileSync(profilesFile(env), "{ not json");
    const result = await runCli(["logout"], env);
    expect(result.code).toBe(EXIT.failed);
    expect(result.stderr).toMatch(/profiles\.json is not valid JSON; fix it or run keyward login again/);
  });

  it("logout forgets the profile", async () => {
    const env = cliEnv();
    expect((await runCli(["login", "--url", sut.adminUrl], env, sut.token)).code).toBe(0);
    const out = await runCli(["logout"], env);
    expect(out.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(profilesFile(env), "utf8")).profiles).toEqual({});
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("connection overrides", () => {
  it("takes KEYWARD_ADMIN_URL, or KEYWARD_URL only when it is an http(s) URL (an app's host:port is not the admin API)", async () => {
    const { resolveConnection } = await import("../src/index.js");
    const token = "kwa_" + "t".repeat(40);
    expect(resolveConnection(cliEnv({ KEYWARD_ADMIN_URL: "http://a:1/", KEYWARD_ADMIN_TOKEN: token })).url).toBe("http://a:1");
    expect(resolveConnection(cliEnv({ KEYWARD_URL: "https://b:2", KEYWARD_ADMIN_TOKEN: token })).source).toBe("environment");
    expect(() => resolveConnection(cliEnv({ KEYWARD_URL: "127.0.0.1:50051", KEYWARD_ADMIN_TOKEN: token }))).toThrow(/not logged in: run keyward login \(or set KEYWARD_ADMIN_URL\)/);
  });
});
