// The environment turns on the servers' production options: gRPC over TLS, admin API CORS and
// body limit. Checked against the real service over loopback, with certificates made at test time.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { SecretsServiceClient, TokenStatus, type RegisterTokenResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSecretsService, type RunningService } from "../src/index.js";
import { tmpDir } from "./helpers.js";

function makeCerts(dir: string) {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-days", "1", "-subj", "/CN=test-ca", "-keyout", "ca.key", "-out", "ca.crt");
  ssl("req", ...ec, "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
  fs.writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "server.ext", "-out", "server.crt");
}

function register(client: SecretsServiceClient, token: string) {
  const md = new Metadata();
  md.set("authorization", `Bearer ${token}`);
  return new Promise<RegisterTokenResponse>((resolve, reject) =>
    client.registerToken({ serviceName: "tls-app", serviceVersion: "1", environment: "" }, md, { deadline: Date.now() + 5000 }, (e: ServiceError | null, r?: RegisterTokenResponse) => (e ? reject(e) : resolve(r!))),
  );
}

describe("server options from the environment", () => {
  const dir = tmpDir("kw-opts-");
  let service: RunningService;
  beforeAll(async () => {
    makeCerts(dir);
    service = await startSecretsService({
      dataDir: path.join(dir, "data"),
      grpcPort: 0,
      httpPort: 0,
      env: {
        KEYWARD_GRPC_TLS_CERT_FILE: path.join(dir, "server.crt"),
        KEYWARD_GRPC_TLS_KEY_FILE: path.join(dir, "server.key"),
        KEYWARD_CORS_ORIGINS: "https://admin.example.com",
        KEYWARD_MAX_BODY_BYTES: "2048",
        KEYWARD_LOG_LEVEL: "silent",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
  });

  it("serves gRPC over TLS only", async () => {
    const tls = new SecretsServiceClient(service.grpcAddress, credentials.createSsl(fs.readFileSync(path.join(dir, "ca.crt"))));
    const plain = new SecretsServiceClient(service.grpcAddress, credentials.createInsecure());
    try {
      const token = generateToken(SERVICE_TOKEN_PREFIX);
      expect((await register(tls, token)).status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
      await expect(register(plain, generateToken(SERVICE_TOKEN_PREFIX))).rejects.toMatchObject({ code: 14 });
    } finally {
      tls.close();
      plain.close();
    }
  });

  it("answers CORS preflights for the configured origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${service.adminUrl}/api/secrets`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
    expect((await preflight("https://admin.example.com")).headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    expect((await preflight("https://evil.example.com")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("limits request bodies to the configured size", async () => {
    const res = await fetch(`${service.adminUrl}/api/secrets`, {
      method: "POST",
      headers: { authorization: `Bearer ${service.bootstrapToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "BIG_ONE", description: "x".repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("refuses to start when a TLS file cannot be read, naming the variable", async () => {
    await expect(
      startSecretsService({
        dataDir: path.join(dir, "data2"),
        grpcPort: 0,
        httpPort: 0,
        env: { KEYWARD_GRPC_TLS_CERT_FILE: path.join(dir, "missing.crt"), KEYWARD_GRPC_TLS_KEY_FILE: path.join(dir, "server.key"), KEYWARD_LOG_LEVEL: "silent" },
      }),
    ).rejects.toThrow(/KEYWARD_GRPC_TLS_CERT_FILE points at .*missing\.crt.*ENOENT/);
  }, 120_000);
});
