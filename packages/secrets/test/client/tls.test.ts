// The client over TLS and mutual TLS against the real Keyward gRPC server (certificates made with
// openssl at test time), and every TLS setting's mistakes named at startup without echoing a key.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, SecretsConfigError, type SecretsClientOptions } from "../../src/index.js";
import { errorOf } from "../support/errors.js";
import { makeTestCerts, type TestCerts } from "../support/certs.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";

const schema = { properties: { STRIPE_API_KEY: { description: "Stripe API key" } } } as const;
const SERVICE = "billing";
const VALUE = "sk_live_" + randomBytes(12).toString("hex");
const certs: TestCerts = makeTestCerts();

/** A token the server has approved, with access to STRIPE_API_KEY, registered over `options`. */
async function approvedToken(server: KeywardTestServer, options: SecretsClientOptions): Promise<string> {
  const token = createServiceToken();
  const client = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, retry: { maxAttempts: 1 }, ...options });
  try {
    expect(await client.register()).toBe("pending");
  } finally {
    await client.close();
  }
  await server.approveToken(token);
  await server.setAccess("STRIPE_API_KEY", SERVICE, "grant");
  return token;
}

/** Reads STRIPE_API_KEY with a fresh client over `options`. */
async function read(server: KeywardTestServer, token: string, options: SecretsClientOptions): Promise<string> {
  const client = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, retry: { maxAttempts: 1 }, cache: false, timeoutMs: 3000, ...options });
  try {
    return await client.getSecret("STRIPE_API_KEY");
  } finally {
    await client.close();
  }
}

describe("over TLS", () => {
  let server: KeywardTestServer;
  let token: string;
  beforeAll(async () => {
    server = await startKeywardServer({ tls: { cert: certs.read("server.crt"), key: certs.read("server.key") } });
    await server.setValue("STRIPE_API_KEY", VALUE);
    token = await approvedToken(server, { env: {}, tls: { ca: certs.read("ca.crt") } });
  });
  afterAll(async () => server?.close());

  it("reads a value with the CA given as content, as a file, or from KEYWARD_TLS_CA_FILE", async () => {
    expect(await read(server, token, { env: {}, tls: { ca: certs.read("ca.crt").toString() } })).toBe(VALUE);
    expect(await read(server, token, { env: {}, tls: { caFile: certs.file("ca.crt") } })).toBe(VALUE);
    expect(await read(server, token, { env: { KEYWARD_TLS_CA_FILE: certs.file("ca.crt") } })).toBe(VALUE);
  });

  it("checks the server's name: serverName replaces the URL's host in that check", async () => {
    expect(await read(server, token, { env: { KEYWARD_TLS_CA_FILE: certs.file("ca.crt"), KEYWARD_TLS_SERVER_NAME: "localhost" } })).toBe(VALUE);
    const wrongName = await errorOf(read(server, token, { env: {}, tls: { caFile: certs.file("ca.crt"), serverName: "keyward.example.com" } }));
    expect(wrongName).toMatchObject({ reason: "unavailable" });
  });

  it("is refused without the CA (system roots only), and in plaintext", async () => {
    for (const options of [{ env: {}, tls: true }, { env: { KEYWARD_TLS: "1" } }, { env: {} }, { env: { KEYWARD_TLS_CA_FILE: certs.file("ca.crt") }, tls: false }] satisfies SecretsClientOptions[]) {
      const error = await errorOf(read(server, token, options));
      expect(error, JSON.stringify(options)).toMatchObject({ reason: "unavailable" });
      expect(error.message).not.toContain(VALUE);
    }
  });
});

describe("over mutual TLS", () => {
  let server: KeywardTestServer;
  let token: string;
  const mtlsEnv = { KEYWARD_TLS_CA_FILE: certs.file("ca.crt"), KEYWARD_TLS_CERT_FILE: certs.file("client.crt"), KEYWARD_TLS_KEY_FILE: certs.file("client.key") };
  beforeAll(async () => {
    server = await startKeywardServer({ tls: { cert: certs.read("server.crt"), key: certs.read("server.key"), clientCa: certs.read("ca.crt") } });
    await server.setValue("STRIPE_API_KEY", VALUE);
    token = await approvedToken(server, { env: mtlsEnv });
  });
  afterAll(async () => server?.close());

  it("reads a value with a client certificate from KEYWARD_TLS_* files, or given in options", async () => {
    expect(await read(server, token, { env: mtlsEnv })).toBe(VALUE);
    expect(await read(server, token, { env: {}, tls: { ca: certs.read("ca.crt"), cert: certs.read("client.crt"), keyFile: certs.file("client.key") } })).toBe(VALUE);
  });

  it("is refused without a client certificate, and with one from another CA", async () => {
    const withoutCert = await errorOf(read(server, token, { env: {}, tls: { caFile: certs.file("ca.crt") } }));
    expect(withoutCert).toMatchObject({ reason: "unavailable" });
    const stranger = await errorOf(read(server, token, { env: {}, tls: { caFile: certs.file("ca.crt"), certFile: certs.file("stranger.crt"), keyFile: certs.file("stranger.key") } }));
    expect(stranger).toMatchObject({ reason: "unavailable" });
    // Neither reached the service: no read was audited for them.
    const before = await server.auditedReads();
    await errorOf(read(server, token, { env: {}, tls: { caFile: certs.file("ca.crt") } }));
    expect(await server.auditedReads()).toBe(before);
  });
});

describe("TLS settings", () => {
  const base = { serviceName: SERVICE, token: createServiceToken() };
  const keyPem = certs.read("client.key").toString();
  const keyBody = keyPem.split("\n")[1]!;

  function configError(options: SecretsClientOptions): SecretsConfigError {
    try {
      void createSecretsClient(schema, { ...base, ...options }).close();
    } catch (error) {
      expect(error).toBeInstanceOf(SecretsConfigError);
      const e = error as SecretsConfigError;
      // Never any key material, whatever went wrong.
      expect(e.message).not.toContain(keyBody);
      return e;
    }
    throw new Error("expected a SecretsConfigError");
  }

  it("needs a client certificate and its key together, naming the one that is missing", () => {
    expect(configError({ env: { KEYWARD_TLS_CERT_FILE: certs.file("client.crt") } })).toMatchObject({
      setting: "KEYWARD_TLS_CERT_FILE",
      message: "KEYWARD_TLS_CERT_FILE is set without a private key: mutual TLS needs the client certificate and its key (set KEYWARD_TLS_KEY_FILE too)",
    });
    expect(configError({ env: { KEYWARD_TLS_KEY_FILE: certs.file("client.key") } })).toMatchObject({ setting: "KEYWARD_TLS_KEY_FILE", message: expect.stringMatching(/set KEYWARD_TLS_CERT_FILE too/) });
    // Plain JS callers get the same check the types give TypeScript ones.
    expect(configError({ env: {}, tls: { keyFile: certs.file("client.key") } as never })).toMatchObject({ setting: "options.tls.keyFile", message: expect.stringMatching(/give options.tls.cert or options.tls.certFile too/) });
    expect(configError({ env: {}, tls: { ca: "x", caFile: "y" } as never }).message).toBe("give options.tls.ca or options.tls.caFile, not both");
  });

  it("names an unreadable file and a file that is not PEM, never echoing its content", () => {
    expect(configError({ env: { KEYWARD_TLS_CA_FILE: path.join(certs.dir, "missing.crt") } })).toMatchObject({
      setting: "KEYWARD_TLS_CA_FILE",
      message: `KEYWARD_TLS_CA_FILE points at ${path.join(certs.dir, "missing.crt")}, which cannot be read (ENOENT): check the path and that this process may read it`,
    });
    // A private key where the CA certificate belongs.
    expect(configError({ env: { KEYWARD_TLS_CA_FILE: certs.file("client.key") } })).toMatchObject({
      setting: "KEYWARD_TLS_CA_FILE",
      message: `KEYWARD_TLS_CA_FILE (${certs.file("client.key")}) is not a PEM certificate (-----BEGIN CERTIFICATE-----)`,
    });
    const garbage = path.join(certs.dir, "garbage.key");
    fs.writeFileSync(garbage, "not a key at all " + randomBytes(8).toString("hex"));
    const notKey = configError({ env: { KEYWARD_TLS_CERT_FILE: certs.file("client.crt"), KEYWARD_TLS_KEY_FILE: garbage } });
    expect(notKey).toMatchObject({ setting: "KEYWARD_TLS_KEY_FILE", message: `KEYWARD_TLS_KEY_FILE (${garbage}) is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)` });
    expect(notKey.message).not.toContain("not a key at all");
    // Key content given where a certificate belongs.
    expect(configError({ env: {}, tls: { cert: keyPem, key: keyPem } })).toMatchObject({ setting: "options.tls.cert", message: "options.tls.cert is not a PEM certificate (-----BEGIN CERTIFICATE-----)" });
  });

  it("names a key that does not belong to the certificate", () => {
    expect(configError({ env: { KEYWARD_TLS_CERT_FILE: certs.file("client.crt"), KEYWARD_TLS_KEY_FILE: certs.file("stranger.key") } })).toMatchObject({
      setting: "KEYWARD_TLS_KEY_FILE",
      message: `KEYWARD_TLS_KEY_FILE (${certs.file("stranger.key")}) is not the private key of the certificate in KEYWARD_TLS_CERT_FILE (${certs.file("client.crt")})`,
    });
  });

  it("names a bad KEYWARD_TLS, a contradiction with it, and a bad server name", () => {
    expect(configError({ env: { KEYWARD_TLS: "yes" } }).message).toBe('KEYWARD_TLS must be 1 or true (TLS) or 0 or false (plaintext), got "yes"');
    expect(configError({ env: { KEYWARD_TLS: "0", KEYWARD_TLS_CA_FILE: certs.file("ca.crt") } }).setting).toBe("KEYWARD_TLS");
    expect(configError({ env: { KEYWARD_TLS_SERVER_NAME: "https://keyward" } })).toMatchObject({ setting: "KEYWARD_TLS_SERVER_NAME", message: expect.stringMatching(/must be the DNS name .* e\.g\. keyward\.internal/) });
    expect(configError({ env: {}, tls: { serverName: "not a name" } }).setting).toBe("options.tls.serverName");
  });

  it("options.tls replaces the environment's TLS settings entirely", async () => {
    // The broken environment is not read at all.
    await createSecretsClient(schema, { ...base, env: { KEYWARD_TLS_CERT_FILE: "/nonexistent.crt" }, tls: false }).close();
    await createSecretsClient(schema, { ...base, env: { KEYWARD_TLS: "nonsense" }, tls: { caFile: certs.file("ca.crt") } }).close();
  });
});
