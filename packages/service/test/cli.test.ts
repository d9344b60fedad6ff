import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { credentials, Metadata } from "@grpc/grpc-js";
import { SecretsServiceClient } from "@keyward/proto";
import { createSecretsClient } from "@keyward/secrets";
import { PGlite } from "@electric-sql/pglite";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminApi, baseEnv, CLI, startCli, tmpDir } from "./helpers.js";

function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...baseEnv(), ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("keyward-service CLI", () => {
  it("prints help listing every command and every environment variable; unknown commands exit 2", () => {
    const help = cli({}, "--help");
    expect(help.code).toBe(0);
    for (const c of ["start", "migrate", "keys", "audit", "tokens", "doctor"]) expect(help.out).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    for (const v of ["KEYWARD_DATA_DIR", "DATABASE_URL", "KEYWARD_SHUTDOWN_TIMEOUT_MS"]) expect(help.out).toContain(v);
    const unknown = cli({}, "serve");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^keyward-service: unknown command "serve"/);
    for (const c of ["start", "migrate", "tokens", "doctor", "keys", "audit"]) {
      const r = cli({}, c, "--help");
      expect(r.code, c).toBe(0);
      expect(r.out, c).toMatch(new RegExp(`keyward-service ${c}`));
    }
  });

  it("start: a bad environment or flag is named, with its fix, and nothing starts", () => {
    const dataDir = tmpDir();
    const env = cli({ KEYWARD_DATA_DIR: dataDir, KEYWARD_HTTP_PORT: "eighty" }, "start");
    expect(env.code).toBe(1);
    expect(env.err).toMatch(/KEYWARD_HTTP_PORT must be integer \(got "eighty"\): set it to admin HTTP port from 0 to 65535/);
    const flag = cli({ KEYWARD_DATA_DIR: dataDir }, "start", "--grpc-port", "x");
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/--grpc-port must be a port number from 0 to 65535, got "x"/);
    expect(cli({}, "start", "now").err).toMatch(/start takes no arguments, got "now"/);
  });

  it("migrate applies the migrations once, then has nothing to do", () => {
    const dataDir = tmpDir();
    const first = cli({}, "migrate", "--data-dir", dataDir);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^Applied \d+ migration\(s\):\n  0001-initial\n/);
    const second = cli({}, "migrate", "--data-dir", dataDir);
    expect(second.out).toBe("The database is up to date; nothing to apply.\n");
  });

  it("SIGTERM drains calls in flight: each call is answered (and audited) or refused cleanly, then the process exits 0", async () => {
    const dataDir = tmpDir("kw-drain-");
    const svc = await startCli(["--data-dir", dataDir]);
    const admin = adminApi(svc.admin, svc.bootstrapToken!);
    const token = "kws_" + randomBytes(32).toString("base64url");
    const schema = { properties: { QUEUE_URL: { description: "Queue URL" } } } as const;
    const client = createSecretsClient(schema, { url: svc.grpc, token, serviceName: "worker" });
    await client.register();
    const pending = await admin("GET", "/api/service-tokens?status=pending");
    await admin("POST", `/api/service-tokens/${pending.items[0].id}/approve`);
    await client.getSecret("QUEUE_URL").catch(() => undefined);
    await admin("PUT", "/api/secrets/QUEUE_URL/value", { value: "amqp://drain" });
    const requests = await admin("GET", "/api/access-requests?status=pending");
    await admin("POST", `/api/access-requests/${requests.items[0].id}/approve`);
    expect(await client.getSecret("QUEUE_URL")).toBe("amqp://drain");
    client.close();

    // A burst of raw GetSecret calls, with SIGTERM sent while they are in flight.
    const raw = new SecretsServiceClient(svc.grpc, credentials.createInsecure());
    const md = new Metadata();
    md.set("authorization", `Bearer ${token}`);
    const calls = Array.from(
      { length: 40 },
      () =>
        new Promise<string>((resolve) =>
          raw.getSecret({ name: "QUEUE_URL", description: "Queue URL" }, md, { deadline: Date.now() + 60_000 }, (err, res) => resolve(err ? `error:${err.code}` : res.value === "amqp://drain" ? "ok" : "wrong")),
        ),
    );
    const code = svc.stop("SIGTERM");
    const outcomes = await Promise.all(calls);
    raw.close();
    expect(await code).toBe(0);
    expect(svc.output()).toContain("SIGTERM: shutting down, draining calls in flight");
    expect(svc.output()).toContain("Keyward stopped.");
    // Never a wrong answer or an INTERNAL error: answered, or UNAVAILABLE (14) because the server had stopped accepting.
    expect(outcomes.filter((o) => o !== "ok" && o !== "error:14")).toEqual([]);
    const httpPort = Number(new URL(svc.admin).port);
    expect(await refused(httpPort)).toBe(true);
    expect(await refused(Number(svc.grpc.split(":")[1]))).toBe(true);

    // Every answered call has its audit row: nothing was answered and then lost at shutdown.
    const db = await PGlite.create(path.join(dataDir, "pglite"));
    try {
      const reads = await db.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'secret.read' and result = 'ok'");
      expect(reads.rows[0]!.n).toBe(1 + outcomes.filter((o) => o === "ok").length);
    } finally {
      await db.close();
    }
    expect(svc.output()).not.toContain("amqp://drain");
  });

  it("exposes /healthz, /readyz and Prometheus /metrics; SIGINT stops it the same way", async () => {
    const svc = await startCli(["--data-dir", tmpDir("kw-sigint-")]);
    expect(await (await fetch(`${svc.admin}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${svc.admin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    const metrics = await fetch(`${svc.admin}/metrics`);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toMatch(/^# TYPE keyward_http_requests_total counter$/m);
    expect(await svc.stop("SIGINT")).toBe(0);
    expect(svc.output()).toContain("SIGINT: shutting down");
    expect(svc.output()).toContain("Keyward stopped.");
  });
});
