// keyward-service certs: what it writes (names, modes, chain), what it refuses, and that the
// files really work: the real service started with them serves gRPC over mutual TLS and the admin
// API over HTTPS, and an app reads a value with its client certificate.
import { randomBytes, X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createSecretsClient, createServiceToken, SecretsClientError } from "@keyward/secrets";
import { afterAll, describe, expect, it } from "vitest";
import { runCertsCommand } from "../../src/commands/certs.js";
import { baseEnv, runInProcess, startCli, tmpDir, type RunningCli } from "../helpers.js";
import { httpsAdminApi, httpsJson } from "../https-client.js";

const certs = (...argv: string[]) => runInProcess(runCertsCommand, argv, baseEnv());
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const cert = (file: string) => new X509Certificate(fs.readFileSync(file));

describe("keyward-service certs", () => {
  it("writes a CA, a server certificate for loopback plus --host, and a client certificate per --client", async () => {
    const dir = path.join(tmpDir("kw-certs-"), "tls");
    const r = await certs("--out", dir, "--host", "keyward.internal", "--host", "10.1.2.3", "--client", "billing", "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { file: string; action: string }) => [path.basename(f.file), f.action])).toEqual([
      ["ca.crt", "created"],
      ["ca.key", "created"],
      ["server.crt", "created"],
      ["server.key", "created"],
      ["client-billing.crt", "created"],
      ["client-billing.key", "created"],
    ]);
    expect(mode(dir)).toBe(0o700);
    for (const key of ["ca.key", "server.key", "client-billing.key"]) expect(mode(path.join(dir, key)), key).toBe(0o600);
    for (const crt of ["ca.crt", "server.crt", "client-billing.crt"]) expect(mode(path.join(dir, crt)), crt).toBe(0o644);

    const ca = cert(path.join(dir, "ca.crt"));
    expect(ca.ca).toBe(true);
    const server = cert(path.join(dir, "server.crt"));
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName?.split(", ")).toEqual(["DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "DNS:keyward.internal", "IP Address:10.1.2.3"]);
    expect(server.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    const client = cert(path.join(dir, "client-billing.crt"));
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.subjectAltName).toBe("URI:spiffe://keyward/service/billing, DNS:billing");
    expect(client.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    // What to set, for the service and the app.
    expect(report.settings.service).toEqual({
      KEYWARD_GRPC_TLS_CERT_FILE: path.join(dir, "server.crt"),
      KEYWARD_GRPC_TLS_KEY_FILE: path.join(dir, "server.key"),
      KEYWARD_GRPC_TLS_CLIENT_CA_FILE: path.join(dir, "ca.crt"),
      KEYWARD_HTTP_TLS_CERT_FILE: path.join(dir, "server.crt"),
      KEYWARD_HTTP_TLS_KEY_FILE: path.join(dir, "server.key"),
    });
    expect(report.settings.clients.billing).toEqual({ KEYWARD_TLS_CA_FILE: path.join(dir, "ca.crt"), KEYWARD_TLS_CERT_FILE: path.join(dir, "client-billing.crt"), KEYWARD_TLS_KEY_FILE: path.join(dir, "client-billing.key") });
    // No private key in the report.
    expect(r.stdout).not.toContain("PRIVATE KEY");
  });

  it("prints a table and the settings without --json", async () => {
    const dir = tmpDir("kw-certs-");
    const r = await certs("--out", dir, "--client", "mailer");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^FILE\s+WHAT\s+ACTION\s+DETAILS$/m);
    expect(r.stdout).toMatch(/^server\.crt\s+server certificate\s+created\s+until \d{4}-\d\d-\d\d {2}CN=localhost {2}DNS:localhost, IP Address:127\.0\.0\.1/m);
    expect(r.stdout).toMatch(/^client-mailer\.key\s+client mailer private key\s+created\s+mode 0600$/m);
    expect(r.stdout).toContain(`KEYWARD_HTTP_TLS_CERT_FILE=${path.join(dir, "server.crt")}`);
    expect(r.stdout).toContain(`KEYWARD_TLS_CERT_FILE=${path.join(dir, "client-mailer.crt")}`);
  });

  it("refuses to overwrite without --force; --keep-existing keeps; a later client reuses the CA", async () => {
    const dir = tmpDir("kw-certs-");
    expect((await certs("--out", dir, "--client", "billing")).code).toBe(0);
    const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
    const before = { ca: read("ca.crt"), server: read("server.crt"), serverKey: read("server.key"), billing: read("client-billing.crt") };

    const again = await certs("--out", dir, "--host", "keyward.internal", "--client", "billing");
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: refusing to overwrite ${["server.crt", "server.key", "client-billing.crt", "client-billing.key"].map((f) => path.join(dir, f)).join(", ")}: pass --force to replace them, or --keep-existing to keep them\n`,
    );
    expect({ ca: read("ca.crt"), server: read("server.crt"), serverKey: read("server.key"), billing: read("client-billing.crt") }).toEqual(before);

    const kept = await certs("--out", dir, "--host", "keyward.internal", "--client", "billing", "--keep-existing", "--json");
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout).files.every((f: { action: string }) => f.action === "kept")).toBe(true);
    expect(read("server.crt")).toBe(before.server);

    // A new client, signed by the same CA; the server certificate is left alone.
    const added = await certs("--out", dir, "--client", "mailer", "--json");
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).files.map((f: { file: string; action: string }) => `${path.basename(f.file)} ${f.action}`)).toEqual([
      "ca.crt kept",
      "ca.key kept",
      "server.crt kept",
      "server.key kept",
      "client-mailer.crt created",
      "client-mailer.key created",
    ]);
    expect(read("ca.crt")).toBe(before.ca);
    expect(cert(path.join(dir, "client-mailer.crt")).verify(cert(path.join(dir, "ca.crt")).publicKey)).toBe(true);

    const forced = await certs("--out", dir, "--host", "keyward.internal", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(read("server.crt")).not.toBe(before.server);
    expect(mode(path.join(dir, "server.key"))).toBe(0o600);
    expect(cert(path.join(dir, "server.crt")).subjectAltName).toContain("DNS:keyward.internal");
    expect(read("ca.crt")).toBe(before.ca);
  });

  it("refuses a CA certificate without its key, and a CA it did not make", async () => {
    const dir = tmpDir("kw-certs-");
    expect((await certs("--out", dir)).code).toBe(0);
    fs.renameSync(path.join(dir, "ca.key"), path.join(dir, "ca.key.bak"));
    const missing = await certs("--out", dir, "--client", "billing");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${path.join(dir, "ca.crt")} exists without ${path.join(dir, "ca.key")}`);
    // The server's key is not a CA key.
    fs.copyFileSync(path.join(dir, "server.key"), path.join(dir, "ca.key"));
    const wrong = await certs("--out", dir, "--client", "billing");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/are not a CA made by keyward-service certs/);
    expect(wrong.stderr).not.toContain("PRIVATE KEY");
    expect(fs.existsSync(path.join(dir, "client-billing.crt"))).toBe(false);
  });

  it("names bad flags as usage errors (exit 2)", async () => {
    const dir = tmpDir("kw-certs-");
    for (const [argv, message] of [
      [["--host", "not a host"], '--host "not a host" is neither an IP address nor a DNS name'],
      [["--client", "@acme/billing"], '--client "@acme/billing": a client name is the service\'s name as a DNS name'],
      [["--days", "0"], '--days must be a whole number of days from 1 to 3650, got "0"'],
      [["--force", "--keep-existing"], "give --force or --keep-existing, not both"],
      [["extra"], 'certs takes no arguments, got "extra"'],
    ] as const) {
      const r = await certs("--out", dir, ...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("the generated files, end to end", () => {
  const running: RunningCli[] = [];
  afterAll(async () => {
    for (const s of running) await s.stop();
  });

  it("start serves gRPC over mutual TLS and the admin API over HTTPS; the app reads a value with its client certificate", async () => {
    const root = tmpDir("kw-certs-e2e-");
    const dir = path.join(root, "tls");
    const made = await certs("--out", dir, "--client", "billing", "--json");
    expect(made.code, made.stderr).toBe(0);
    const { settings } = JSON.parse(made.stdout);
    const svc = await startCli(["--data-dir", path.join(root, "data")], { ...baseEnv(), ...settings.service, KEYWARD_LOG_LEVEL: "warn" });
    running.push(svc);
    expect(svc.admin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(svc.output()).toMatch(/gRPC \(services\):\s+\S+ {2}\(mutual TLS\)/);
    const ca = fs.readFileSync(path.join(dir, "ca.crt"));
    const admin = httpsAdminApi(svc.admin, svc.bootstrapToken!, ca);
    expect((await httpsJson(`${svc.admin}/readyz`, { ca })).status).toBe(200);

    const VALUE = "sk_live_" + randomBytes(12).toString("hex");
    const schema = { properties: { STRIPE_API_KEY: { description: "Stripe API key" } } } as const;
    const client = createSecretsClient(schema, { url: svc.grpc, token: createServiceToken(), serviceName: "billing", env: settings.clients.billing, retry: { maxAttempts: 1 }, cache: false });
    const reasonOf = (p: Promise<unknown>) => p.then(() => "ok", (e: SecretsClientError) => e.reason);
    try {
      expect(await client.register()).toBe("pending");
      const [pending] = (await admin("GET", "/api/service-tokens?status=pending")).items;
      await admin("POST", `/api/service-tokens/${pending.id}/approve`);
      expect(await reasonOf(client.getSecret("STRIPE_API_KEY"))).toBe("access_pending");
      await admin("PUT", "/api/secrets/STRIPE_API_KEY/value", { value: VALUE });
      const [request] = (await admin("GET", "/api/access-requests?status=pending")).items;
      await admin("POST", `/api/access-requests/${request.id}/approve`);
      expect(await client.getSecret("STRIPE_API_KEY")).toBe(VALUE);
    } finally {
      await client.close();
    }
    // Without the client certificate the service refuses the connection.
    const { KEYWARD_TLS_CA_FILE } = settings.clients.billing;
    const anonymous = createSecretsClient(schema, { url: svc.grpc, token: createServiceToken(), serviceName: "billing", env: { KEYWARD_TLS_CA_FILE }, retry: { maxAttempts: 1 } });
    try {
      expect(await reasonOf(anonymous.register())).toBe("unavailable");
    } finally {
      await anonymous.close();
    }
    expect(svc.output()).not.toContain(VALUE);
  });
});
