import net from "node:net";
// Nothing listens beyond loopback without TLS unless the operator opts out: start refuses (naming
// the settings), the opt-out warns at every start, TLS on both listeners starts cleanly, and
// doctor reports the same. Certificates come from `keyward-service certs`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { createLogger, isKeywardError } from "@keyward/common";
import { describe, expect, it } from "vitest";
import { runCertsCommand } from "../src/commands/certs.js";
import { isLoopbackHost } from "../src/listener-security.js";
import { runDoctor, startSecretsService } from "../src/index.js";
import { baseEnv, CLI, runInProcess, tmpDir } from "./helpers.js";
import { httpsJson } from "./https-client.js";

/** A logger whose lines the test can read. */
function capturedLogger() {
  let text = "";
  const logger = createLogger({ level: "info", destination: new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) }) });
  return { logger, lines: () => text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

async function devCerts(): Promise<{ service: Record<string, string>; ca: Buffer }> {
  const dir = path.join(tmpDir("kw-listen-"), "tls");
  const r = await runInProcess(runCertsCommand, ["--out", dir, "--json"], baseEnv());
  expect(r.code, r.stderr).toBe(0);
  return { service: JSON.parse(r.stdout).settings.service, ca: fs.readFileSync(path.join(dir, "ca.crt")) };
}

const WARN = 40;

describe("isLoopbackHost", () => {
  it("knows loopback addresses and names from everything else", () => {
    for (const host of ["127.0.0.1", "127.10.20.30", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost", "LOCALHOST"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "[::]", "10.0.0.5", "128.0.0.1", "192.168.1.10", "keyward.internal", "localhost.example.com"]) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe("listening beyond loopback", () => {
  it("refuses without TLS, naming the settings for each listener, before anything is opened", async () => {
    const dataDir = path.join(tmpDir("kw-listen-"), "data");
    const refusal = await startSecretsService({ env: {}, dataDir, host: "0.0.0.0", grpcPort: 0, httpPort: 0, logLevel: "silent" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKeywardError(refusal)).toBe(true);
    expect(refusal).toMatchObject({
      code: "config",
      field: "KEYWARD_GRPC_TLS_CERT_FILE",
      message:
        "KEYWARD_HOST=0.0.0.0 is not a loopback address, and gRPC and the admin API have no TLS: set KEYWARD_GRPC_TLS_CERT_FILE and KEYWARD_GRPC_TLS_KEY_FILE, " +
        "and KEYWARD_HTTP_TLS_CERT_FILE and KEYWARD_HTTP_TLS_KEY_FILE (keyward-service certs makes a development CA and certificates), " +
        "or KEYWARD_ALLOW_INSECURE=1 when a TLS-terminating proxy is in front",
    });
    // Refused before the data directory (or a database) was created.
    expect(fs.existsSync(dataDir)).toBe(false);

    // With gRPC on TLS, only the admin API is named.
    const { service } = await devCerts();
    const grpcOnly = { KEYWARD_GRPC_TLS_CERT_FILE: service.KEYWARD_GRPC_TLS_CERT_FILE, KEYWARD_GRPC_TLS_KEY_FILE: service.KEYWARD_GRPC_TLS_KEY_FILE };
    await expect(startSecretsService({ env: grpcOnly, dataDir, host: "::", grpcPort: 0, httpPort: 0, logLevel: "silent" })).rejects.toMatchObject({
      field: "KEYWARD_HTTP_TLS_CERT_FILE",
      message: expect.stringMatching(/^KEYWARD_HOST=:: is not a loopback address, and the admin API has no TLS: set KEYWARD_HTTP_TLS_CERT_FILE and KEYWARD_HTTP_TLS_KEY_FILE \(/),
    });
  });

  it("the CLI exits 1 with the same message", () => {
    const r = spawnSync(process.execPath, [CLI, "start", "--data-dir", path.join(tmpDir("kw-listen-"), "data")], { env: { ...baseEnv(), KEYWARD_HOST: "0.0.0.0" }, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: KEYWARD_HOST=0\.0\.0\.0 is not a loopback address, and gRPC and the admin API have no TLS: set KEYWARD_GRPC_TLS_CERT_FILE/);
    expect(r.stdout).not.toContain("Keyward is running");
  });

  it("KEYWARD_ALLOW_INSECURE=1 starts anyway and warns at every start", async () => {
    const dataDir = path.join(tmpDir("kw-listen-"), "data");
    for (let start = 0; start < 2; start++) {
      const { logger, lines } = capturedLogger();
      const service = await startSecretsService({ env: { KEYWARD_ALLOW_INSECURE: "1" }, dataDir, host: "0.0.0.0", grpcPort: 0, httpPort: 0, logger });
      try {
        expect((await fetch(`http://127.0.0.1:${service.config.httpPort}/healthz`)).status).toBe(200);
      } finally {
        await service.close();
      }
      const warnings = lines().filter((l) => l.level === WARN);
      expect(warnings.map((w) => w.msg)).toEqual(["KEYWARD_ALLOW_INSECURE=1: gRPC and the admin API listen on 0.0.0.0 without TLS; this is safe only behind a TLS-terminating proxy"]);
    }
  });

  it("starts cleanly with TLS on both listeners, and the admin URL says https", async () => {
    const { service: tls, ca } = await devCerts();
    const { logger, lines } = capturedLogger();
    const service = await startSecretsService({ env: tls, dataDir: path.join(tmpDir("kw-listen-"), "data"), host: "0.0.0.0", grpcPort: 0, httpPort: 0, logger });
    try {
      expect(service.adminUrl).toBe(`https://0.0.0.0:${service.config.httpPort}`);
      expect((await httpsJson(`https://127.0.0.1:${service.config.httpPort}/healthz`, { ca })).status).toBe(200);
    } finally {
      await service.close();
    }
    expect(lines().filter((l) => l.level === WARN)).toEqual([]);
  });

  it("a TLS file that is not PEM, or a key of another certificate, is named at start without echoing it", async () => {
    const { service: tls } = await devCerts();
    const dataDir = path.join(tmpDir("kw-listen-"), "data");
    const junk = path.join(tmpDir("kw-listen-"), "junk.key");
    fs.writeFileSync(junk, "definitely-not-a-key-1234");
    await expect(startSecretsService({ env: { ...tls, KEYWARD_HTTP_TLS_KEY_FILE: junk }, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" })).rejects.toThrow(
      `KEYWARD_HTTP_TLS_KEY_FILE points at ${junk}, which is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)`,
    );
    const other = await devCerts();
    const mismatch = await startSecretsService({ env: { ...tls, KEYWARD_GRPC_TLS_KEY_FILE: other.service.KEYWARD_GRPC_TLS_KEY_FILE }, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" }).catch((e: Error) => e);
    expect(mismatch).toMatchObject({ field: "KEYWARD_GRPC_TLS_KEY_FILE", message: expect.stringMatching(/^KEYWARD_GRPC_TLS_KEY_FILE \(.*\) is not the private key of the certificate in KEYWARD_GRPC_TLS_CERT_FILE/) });
    expect((mismatch as Error).message).not.toContain("definitely-not-a-key");
  });

  it("names the variable when a port is taken, both listeners share one, or the console directory is missing", async () => {
    const dataDir = path.join(tmpDir("kw-listen-"), "data");
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const start = (options: Record<string, unknown>) => startSecretsService({ env: {}, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent", ...options }).catch((e: Error) => e);
      expect(await start({ httpPort: port })).toMatchObject({ field: "KEYWARD_HTTP_PORT", message: `the admin API cannot listen on 127.0.0.1:${port}: the port is already in use (another Keyward, or another program); set KEYWARD_HTTP_PORT to a free port or stop what holds it` });
      // grpc-js's own "No address added" line goes to the service's log, not the console.
      const printed: unknown[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => void printed.push(...args);
      try {
        expect(await start({ grpcPort: port })).toMatchObject({ field: "KEYWARD_GRPC_PORT", message: expect.stringMatching(/^the gRPC server cannot listen on 127\.0\.0\.1:\d+: the port is already in use/) });
      } finally {
        console.error = consoleError;
      }
      expect(printed).toEqual([]);
      expect(await start({ grpcPort: 40123, httpPort: 40123 })).toMatchObject({ field: "KEYWARD_HTTP_PORT", message: expect.stringContaining("KEYWARD_GRPC_PORT and KEYWARD_HTTP_PORT are both 40123") });
      expect(await start({ env: { KEYWARD_CONSOLE_DIR: "/nonexistent-console" } })).toMatchObject({ field: "KEYWARD_CONSOLE_DIR", message: expect.stringContaining("KEYWARD_CONSOLE_DIR is /nonexistent-console, which has no index.html") });
    } finally {
      taken.close();
    }
  });

  it("a bad notification setting fails the start before anything opens (no data directory made)", async () => {
    const dataDir = path.join(tmpDir("kw-listen-"), "data");
    const error = await startSecretsService({ env: { KEYWARD_NOTIFY_POLL_MS: "abc" }, dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" }).catch((e: Error) => e);
    expect(error).toMatchObject({ field: "KEYWARD_NOTIFY_POLL_MS", message: 'invalid configuration:\n  - KEYWARD_NOTIFY_POLL_MS must be an integer of at least 10, got "abc"' });
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});

describe("doctor on listeners", () => {
  const check = async (env: NodeJS.ProcessEnv) => (await runDoctor({ KEYWARD_DATA_DIR: path.join(tmpDir("kw-listen-"), "data"), ...env })).checks.find((c) => c.name === "config")!;

  it("fails a non-loopback host without TLS, warns about the opt-out, and passes TLS on both", async () => {
    const refused = await check({ KEYWARD_HOST: "0.0.0.0" });
    expect(refused.status).toBe("fail");
    expect(refused.summary).toContain("gRPC 0.0.0.0:50051 (plaintext), admin HTTP 0.0.0.0:8080\nKEYWARD_HOST=0.0.0.0 is not a loopback address, and gRPC and the admin API have no TLS: set KEYWARD_GRPC_TLS_CERT_FILE");
    expect(refused.fix).toMatch(/keyward-service certs/);

    const allowed = await check({ KEYWARD_HOST: "0.0.0.0", KEYWARD_ALLOW_INSECURE: "true" });
    expect(allowed.status).toBe("warn");
    expect(allowed.summary).toContain("KEYWARD_ALLOW_INSECURE=1: gRPC and the admin API listen on 0.0.0.0 without TLS");

    const { service } = await devCerts();
    const ok = await check({ KEYWARD_HOST: "0.0.0.0", ...service });
    expect(ok).toMatchObject({ status: "ok", summary: expect.stringContaining("gRPC 0.0.0.0:50051 (mutual TLS), admin HTTPS 0.0.0.0:8080") });
    expect((await check({})).status).toBe("ok");
  });

  it("fails a TLS file that cannot be read, naming its variable", async () => {
    const { service } = await devCerts();
    const missing = await check({ ...service, KEYWARD_HTTP_TLS_CERT_FILE: "/nonexistent/server.crt" });
    expect(missing.status).toBe("fail");
    expect(missing.summary).toMatch(/KEYWARD_HTTP_TLS_CERT_FILE points at \/nonexistent\/server\.crt, which cannot be read \(ENOENT\)/);
  });
});
