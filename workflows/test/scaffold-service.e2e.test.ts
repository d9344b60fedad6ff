import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tmp, workflow } from "./cli.js";

// Acceptance: scaffold secrets-service/init into a fresh monorepo, install and build it against the
// local Keyward packages (link:, no registry publish), start it, and serve the example app.
const REPO = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = path.join(REPO, "examples/identity-service");
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

let service: ChildProcess | undefined;
afterAll(() => {
  if (service && service.exitCode === null) service.kill("SIGKILL");
});

async function until(check: () => boolean, what: string, output: () => string) {
  const deadline = Date.now() + 180_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("secrets-service/init, installed, built and serving", () => {
  it("scaffolds a service that serves GetSecret to examples/identity-service, with its callbacks firing", async () => {
    const root = tmp("kw-acme-");
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "acme", private: true }, null, 2));
    fs.writeFileSync(path.join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");

    const kickoff = workflow(root, "kickoff", "secrets-service/init", "--name", "acme-secrets", "--keyward-link", path.join(REPO, "packages"));
    expect(kickoff.code, kickoff.stderr).toBe(0);
    const pkgDir = path.join(root, "packages/acme-secrets");
    expect(JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).dependencies["@keyward/service"]).toBe(`link:${path.join(REPO, "packages/service")}`);
    // The service learns the app's secrets from a combined schema, as its README says.
    fs.copyFileSync(path.join(EXAMPLE, "secrets.schema.combined.json"), path.join(pkgDir, "secrets.schema.combined.json"));

    execFileSync("pnpm", ["install", "--prefer-offline", "--config.confirmModulesPurge=false"], { cwd: root, env, stdio: "pipe", timeout: 600_000 });
    execFileSync("pnpm", ["--filter", "acme-secrets", "build"], { cwd: root, env, stdio: "pipe", timeout: 300_000 });
    expect(fs.existsSync(path.join(pkgDir, "dist/index.js"))).toBe(true);

    const dataDir = path.join(root, "data");
    service = spawn(process.execPath, ["dist/index.js"], {
      cwd: pkgDir,
      env: { ...env, KEYWARD_DATA_DIR: dataDir, KEYWARD_GRPC_PORT: "0", KEYWARD_HTTP_PORT: "0", KEYWARD_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    service.stdout!.on("data", (c) => (out += c.toString()));
    service.stderr!.on("data", (c) => (out += c.toString()));
    const output = () => out;
    // Two console lines (address, then where the first-start token is): wait for both. The output
    // is a pipe, not a terminal, so the token is in a file only this user can read, not in the log.
    await until(() => /AcmeSecrets is running[\s\S]*bootstrap admin token is in \S+;/.test(out) || service!.exitCode !== null, "the service to start", output);
    expect(service.exitCode, out).toBeNull();
    const [, grpc, adminUrl] = /gRPC (\S+), admin API (\S+)\/api/.exec(out)!;
    const bootstrapFile = /bootstrap admin token is in (\S+);/.exec(out)![1]!;
    expect(bootstrapFile).toBe(path.join(dataDir, "bootstrap-admin-token"));
    expect((fs.statSync(bootstrapFile).mode & 0o777).toString(8)).toBe("600");
    const bootstrap = fs.readFileSync(bootstrapFile, "utf8").trim();
    expect(out).not.toContain(bootstrap);
    // expectedSecrets made stubs at start, and onSecretStub announced them.
    await until(() => /secret stub: SMTP_PASSWORD/.test(out) && /secret stub: JWT_SIGNING_KEY/.test(out), "onSecretStub", output);

    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(adminUrl + p, { method, headers: { authorization: `Bearer ${bootstrap}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      expect(res.status, `${method} ${p}: ${text}`).toBeLessThan(300);
      return text ? JSON.parse(text) : undefined;
    };
    const tokenFile = path.join(root, "identity-token");
    const runApp = () => {
      const r = spawnSync(process.execPath, ["index.mjs"], { cwd: EXAMPLE, env: { ...env, KEYWARD_URL: grpc, KEYWARD_TOKEN_FILE: tokenFile }, encoding: "utf8", timeout: 120_000 });
      return { code: r.status, out: r.stdout + r.stderr };
    };

    expect(runApp().out).toContain("token: pending");
    await until(() => /\[acme-secrets\] service token \S+ is waiting for approval/.test(out), "onTokenPending", output);
    const tokens = await admin("GET", "/api/service-tokens?status=pending");
    await admin("POST", `/api/service-tokens/${tokens.items[0].id}/approve`);
    const values = { JWT_SIGNING_KEY: "jwt-signing-key-acme-0001", SMTP_PASSWORD: "smtp-acme-0002" };
    for (const [name, value] of Object.entries(values)) await admin("PUT", `/api/secrets/${name}/value`, { value });

    expect(runApp().out).toContain("not yet: JWT_SIGNING_KEY: access_pending");
    await until(() => /access request: identity-service wants JWT_SIGNING_KEY/.test(out) && /access request: identity-service wants SMTP_PASSWORD/.test(out), "onAccessRequest", output);
    const requests = await admin("GET", "/api/access-requests?status=pending");
    for (const r of requests.items) await admin("POST", `/api/access-requests/${r.id}/approve`);

    const served = runApp();
    expect(served.code, served.out).toBe(0);
    expect(served.out).toContain(`got JWT_SIGNING_KEY (${values.JWT_SIGNING_KEY.length} characters)`);
    expect(served.out).toContain(`got SMTP_PASSWORD (${values.SMTP_PASSWORD.length} characters)`);

    const exited = new Promise<number | null>((r) => service!.once("exit", (code) => r(code)));
    service.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("SIGTERM: draining calls in flight");
    for (const value of Object.values(values)) expect(out).not.toContain(value);
  });
});
