// The admin API over real HTTPS on loopback: served with the given certificate, trusted through
// its CA, refused by a client that does not trust it, and not spoken in plaintext.
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock } from "@keyward/common";
import { createAdminKey, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../src/index.js";
import { makeTestCerts, type TestCerts } from "./certs.js";

const freshPglite = createPgliteTemplate();

function get(url: string, options: https.RequestOptions & { token?: string } = {}): Promise<{ status: number; body: string }> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    client
      .get(url, { ...options, headers }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("startHttpServer with tls", () => {
  let certs: TestCerts;
  let kdb: KeywardDatabase;
  let server: RunningHttpServer;
  let token: string;
  beforeAll(async () => {
    certs = makeTestCerts();
    kdb = await freshPglite();
    token = generateToken(ADMIN_TOKEN_PREFIX);
    await createAdminKey(kdb.db, { name: "owner", role: "owner", keyHash: hashToken(token), actor: "system", at: new Date() });
    const deps = { db: kdb.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger: createLogger({ level: "silent" }), clock: systemClock };
    server = await startHttpServer(deps, { host: "127.0.0.1", port: 0, tls: { cert: certs.cert, key: certs.key } });
  });
  afterAll(async () => {
    await server?.close();
    await kdb?.close();
  });

  it("serves the admin API over HTTPS to a client that trusts the CA", async () => {
    const base = `https://127.0.0.1:${server.port}`;
    expect((await get(`${base}/healthz`, { ca: certs.ca })).status).toBe(200);
    const secrets = await get(`${base}/api/secrets`, { ca: certs.ca, token });
    expect(secrets.status).toBe(200);
    expect(JSON.parse(secrets.body)).toMatchObject({ items: [] });
    // The certificate names localhost too.
    expect((await get(`https://localhost:${server.port}/healthz`, { ca: certs.ca })).status).toBe(200);
  });

  it("is refused by a client that does not trust the certificate, and does not answer plain HTTP", async () => {
    await expect(get(`https://127.0.0.1:${server.port}/healthz`, { ca: certs.strangerCa })).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|VERIFY/) });
    await expect(get(`https://127.0.0.1:${server.port}/healthz`)).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|VERIFY/) });
    // A plaintext request gets no HTTP answer from a TLS listener.
    const plain = await get(`http://127.0.0.1:${server.port}/healthz`).catch((error: NodeJS.ErrnoException) => error);
    expect(plain).not.toMatchObject({ status: 200 });
    expect(plain).toBeInstanceOf(Error);
  });

  it("does not start with a key that is not PEM, and never echoes it", async () => {
    const notPem = Buffer.from(`not a key ${randomBytes(8).toString("hex")}`);
    const error = await startHttpServer(
      { db: kdb.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32), logger: createLogger({ level: "silent" }), clock: systemClock },
      { host: "127.0.0.1", port: 0, tls: { cert: certs.cert, key: notPem } },
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain(notPem.toString());
  });
});
