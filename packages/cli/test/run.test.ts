import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { CLI_BIN, cliEnv, tmpDir, useService } from "./harness.js";
import { KEY, spawnInPty } from "./pty.js";

const sut = useService();
const sha = (v: string) => createHash("sha256").update(v).digest("hex");

/** The child: prints a hash of each injected value (never the value), then exits with EXIT_WITH or stays up with STAY. */
const CHILD = `
const { createHash } = require("node:crypto");
for (const n of ["API_KEY", "DB_URL"]) console.log(n + "=" + createHash("sha256").update(process.env[n] ?? "").digest("hex"));
if (process.env.STAY) {
  process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(Number(process.env.ON_TERM ?? 0)); });
  console.log("ready");
  setInterval(() => {}, 1000);
} else process.exit(Number(process.env.EXIT_WITH ?? 0));
`;

async function admin(method: string, p: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(sut.adminUrl + p, { method, headers: { authorization: `Bearer ${sut.token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** An app declaring API_KEY that depends on a library declaring DB_URL: run injects the combined schema's secrets. */
function makeApp(name: string): string {
  const dir = tmpDir("kw-run-app-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, dependencies: { "@acme/db": "1.0.0" } }));
  fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify({ type: "object", properties: { API_KEY: { type: "string", description: "the API key" } } }));
  const lib = path.join(dir, "node_modules/@acme/db");
  fs.mkdirSync(lib, { recursive: true });
  fs.writeFileSync(path.join(lib, "package.json"), JSON.stringify({ name: "@acme/db", version: "1.0.0" }));
  fs.writeFileSync(path.join(lib, "secrets.schema.json"), JSON.stringify({ type: "object", properties: { DB_URL: { type: "string", description: "the database URL" } } }));
  return dir;
}

interface Running {
  child: ReturnType<typeof spawn>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startRun(dir: string, extra: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [CLI_BIN, "run", "--app", dir, "--service-url", sut.grpcAddress, ...extra, "--", process.execPath, "-e", CHILD], { env: cliEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function approveAll(service: string) {
  const tokens = await admin("GET", "/api/service-tokens?status=pending");
  for (const t of tokens.json.items.filter((t: { serviceName: string }) => t.serviceName === service)) expect((await admin("POST", `/api/service-tokens/${t.id}/approve`)).status).toBeLessThan(300);
}
async function grantAll(service: string) {
  const requests = await admin("GET", "/api/access-requests?status=pending");
  for (const r of requests.json.items.filter((r: { serviceName: string }) => r.serviceName === service)) expect((await admin("POST", `/api/access-requests/${r.id}/approve`)).status).toBeLessThan(300);
}

/** An app whose token is approved, both secrets set and granted. */
async function readyApp(service: string, values: { API_KEY: string; DB_URL: string }): Promise<string> {
  const dir = makeApp(service);
  const first = startRun(dir, []);
  expect(await first.exited).toBe(EXIT.notReady);
  await approveAll(service);
  for (const [name, value] of Object.entries(values)) {
    const set = await admin("PUT", `/api/secrets/${name}/value`, { value });
    if (set.status === 404) expect((await admin("POST", "/api/secrets", { name, description: name, value })).status).toBe(201);
    else expect(set.status).toBe(200);
  }
  const second = startRun(dir, []);
  expect(await second.exited).toBe(EXIT.notReady);
  await grantAll(service);
  return dir;
}

describe("keyward run", () => {
  it("waits (exit 5) for the token, then for access, without running the command; then injects the values", async () => {
    const values = { API_KEY: "sk_" + randomBytes(12).toString("hex"), DB_URL: "postgres://u:" + randomBytes(8).toString("hex") + "@db/app" };
    const dir = makeApp("run-app");
    const pending = startRun(dir, []);
    expect(await pending.exited).toBe(EXIT.notReady);
    expect(pending.stderr()).toContain("not starting");
    expect(pending.stderr()).toContain("service run-app: the service token waits for approval");
    expect(pending.stdout()).toBe("");
    // The token was created 0600 in the app, and never printed.
    const token = fs.readFileSync(path.join(dir, ".keyward/service-token"), "utf8").trim();
    expect(fs.statSync(path.join(dir, ".keyward/service-token")).mode & 0o777).toBe(0o600);
    expect(pending.stderr()).not.toContain(token);

    await approveAll("run-app");
    const noAccess = startRun(dir, []);
    expect(await noAccess.exited).toBe(EXIT.notReady);
    expect(noAccess.stderr()).toMatch(/API_KEY: .*waits/);
    expect(noAccess.stderr()).toMatch(/DB_URL: .*waits/);
    expect(noAccess.stdout()).toBe("");

    for (const [name, value] of Object.entries(values)) expect((await admin("PUT", `/api/secrets/${name}/value`, { value })).status).toBe(200);
    await grantAll("run-app");
    const ok = startRun(dir, [], { EXIT_WITH: "7" });
    expect(await ok.exited).toBe(7);
    expect(ok.stdout()).toContain(`API_KEY=${sha(values.API_KEY)}`);
    expect(ok.stdout()).toContain(`DB_URL=${sha(values.DB_URL)}`);
    for (const r of [pending, noAccess, ok]) for (const v of [...Object.values(values), token]) expect(r.stdout() + r.stderr()).not.toContain(v);
  });

  it("forwards SIGTERM to the command and exits with its code; a command killed by a signal gives 128+N", async () => {
    const values = { API_KEY: "sk_" + randomBytes(12).toString("hex"), DB_URL: "postgres://x:" + randomBytes(8).toString("hex") + "@db/app" };
    const dir = await readyApp("run-signals", values);
    const run = startRun(dir, [], { STAY: "1", ON_TERM: "42" });
    await until(() => run.stdout().includes("ready"), "the child to start");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(42);
    expect(run.stdout()).toContain("child got SIGTERM");

    const killed = startRun(dir, [], { STAY: "1" });
    await until(() => killed.stdout().includes("ready"), "the child to start");
    killed.child.kill("SIGHUP");
    // The child has no SIGHUP handler, so it dies of the forwarded signal: 128 + 1.
    expect(await killed.exited).toBe(129);

    // A revoked token: exit 3, naming what to do, without running the command.
    const tokens = await admin("GET", "/api/service-tokens?status=approved");
    for (const t of tokens.json.items.filter((t: { serviceName: string }) => t.serviceName === "run-signals")) expect((await admin("POST", `/api/service-tokens/${t.id}/revoke`)).status).toBe(200);
    const revoked = startRun(dir, []);
    expect(await revoked.exited).toBe(EXIT.auth);
    expect(revoked.stderr()).toContain("service run-signals: the service token is revoked; an admin must issue a new one");
    expect(revoked.stdout()).toBe("");
    for (const r of [run, killed, revoked]) for (const v of Object.values(values)) expect(r.stdout() + r.stderr()).not.toContain(v);
  });

  it("--watch restarts the command with the new value after a change over the admin API, naming only the secret", async () => {
    const values = { API_KEY: "sk_" + randomBytes(12).toString("hex"), DB_URL: "postgres://w:" + randomBytes(8).toString("hex") + "@db/app" };
    const dir = await readyApp("run-watch", values);
    const run = startRun(dir, ["--watch"], { STAY: "1" });
    await until(() => run.stdout().includes("ready"), "the child to start");
    const next = "sk_" + randomBytes(12).toString("hex");
    expect((await admin("PUT", "/api/secrets/API_KEY/value", { value: next })).status).toBe(200);
    await until(() => run.stdout().includes(`API_KEY=${sha(next)}`), "the restarted child");
    expect(run.stderr()).toContain("keyward run: API_KEY changed; restarting");
    expect(run.stdout()).toContain("child got SIGTERM");
    await until(() => run.stdout().split("ready").length === 3, "the restarted child to be ready");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    for (const v of [...Object.values(values), next]) expect(run.stdout() + run.stderr()).not.toContain(v);
  });

  it("on a terminal, Ctrl-C reaches the command once (run does not pass the terminal's SIGINT on a second time)", async () => {
    const values = { API_KEY: "sk_" + randomBytes(12).toString("hex"), DB_URL: "postgres://c:" + randomBytes(8).toString("hex") + "@db/app" };
    const dir = await readyApp("run-ctrl-c", values);
    // Counts SIGINTs for a while after the first, as an app with a graceful shutdown would see them.
    const child = `let n = 0; process.on("SIGINT", () => { if (n++ === 0) setTimeout(() => { console.log("sigints=" + n); process.exit(3); }, 700); }); console.log("ready"); setInterval(() => {}, 1000);`;
    const session = spawnInPty(["run", "--app", dir, "--service-url", sut.grpcAddress, "--", process.execPath, "-e", child], cliEnv());
    await session.waitFor(/ready/, 30_000);
    session.write(KEY.ctrlC);
    await session.waitFor(/sigints=\d+/, 10_000);
    expect(await session.exit).toBe(3);
    expect(session.screen()).toContain("sigints=1");
  });

  it("names usage mistakes and an unreachable service", async () => {
    const dir = makeApp("run-usage");
    const none = spawn(process.execPath, [CLI_BIN, "run", "--app", dir], { env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    none.stderr.on("data", (c) => (err += c));
    expect(await new Promise((r) => none.on("close", r))).toBe(EXIT.usage);
    expect(err).toContain("missing the command to run");
    const down = spawn(process.execPath, [CLI_BIN, "run", "--app", dir, "--service-url", "127.0.0.1:1", "--", "true"], { env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let downErr = "";
    down.stderr.on("data", (c) => (downErr += c));
    expect(await new Promise((r) => down.on("close", r))).toBe(EXIT.unreachable);
    expect(downErr).toContain("cannot reach the Keyward gRPC API at 127.0.0.1:1");
  });
});
