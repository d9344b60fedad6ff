// AWS (STS GetCallerIdentity, SigV4 by the SDK), GCP (JWT bearer exchange) and Azure (client credentials)
// against local servers that speak those wire APIs and check the signatures and secrets they get.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCredential } from "../src/index.js";
import { makeServiceAccount, startEntraTokenFake, startGoogleTokenFake } from "./fixtures/oauth-tokens.js";
import type { Fake } from "./fixtures/servers.js";
import { startStsFake, type StsFake } from "./fixtures/sts.js";
import { expectFailure } from "./helpers.js";

const aws = { accessKeyId: "AKIAKEYWARDTEST00001", secretAccessKey: randomBytes(30).toString("base64") };
const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
const account = makeServiceAccount(GOOGLE_TOKEN_URI);
const entra = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: `Kw8Q~${randomBytes(20).toString("base64url")}` };

let sts: StsFake, google: Fake, azure: Fake;
beforeAll(async () => {
  [sts, google, azure] = await Promise.all([
    startStsFake(aws, "eu-west-1"),
    startGoogleTokenFake({ email: account.json.client_email!, publicKey: account.publicKey, audience: GOOGLE_TOKEN_URI }),
    startEntraTokenFake(entra),
  ]);
});
afterAll(async () => {
  await Promise.all([sts, google, azure].map((f) => f?.close()));
});

describe("aws-access-key", () => {
  const baseUrls = () => ({ "aws-sts": sts.url });

  it("connects when STS accepts the SigV4 signature", async () => {
    const result = await testCredential("aws-access-key", JSON.stringify({ ...aws, region: "eu-west-1" }), { baseUrls: baseUrls() });
    expect(result).toEqual({ status: "connected" });
    expect(sts.accepted).toContain(aws.accessKeyId);
  });

  it("takes the region from the option when the value names none", async () => {
    expect(await testCredential("aws-access-key", JSON.stringify(aws), { baseUrls: baseUrls(), awsRegion: "eu-west-1" })).toEqual({ status: "connected" });
    // Signed for us-east-1, the fake (eu-west-1) refuses the signature.
    expectFailure(await testCredential("aws-access-key", JSON.stringify(aws), { baseUrls: baseUrls() }), "unauthorized", [aws.secretAccessKey], /SignatureDoesNotMatch/);
  });

  it("maps a wrong secret key to unauthorized (SignatureDoesNotMatch), secret-free", async () => {
    const bad = { ...aws, secretAccessKey: randomBytes(30).toString("base64"), region: "eu-west-1" };
    const result = await testCredential("aws-access-key", JSON.stringify(bad), { baseUrls: baseUrls() });
    expectFailure(result, "unauthorized", [bad.secretAccessKey, aws.secretAccessKey], /^AWS STS answered 403: SignatureDoesNotMatch$/);
  });

  it("maps an unknown key id to unauthorized (InvalidClientTokenId)", async () => {
    const bad = { ...aws, accessKeyId: "AKIAUNKNOWNKEY000000", region: "eu-west-1" };
    expectFailure(await testCredential("aws-access-key", JSON.stringify(bad), { baseUrls: baseUrls() }), "unauthorized", [aws.secretAccessKey], /InvalidClientTokenId/);
  });

  it("refuses values that are not the JSON key pair, naming the field and not the value", async () => {
    const hits = sts.hits;
    expectFailure(await testCredential("aws-access-key", `${aws.accessKeyId}:${aws.secretAccessKey}`), "invalid", [aws.secretAccessKey], /^AWS access key: must be a JSON object/);
    expectFailure(await testCredential("aws-access-key", JSON.stringify({ accessKeyId: aws.secretAccessKey })), "invalid", [aws.secretAccessKey], /^AWS access key: secretAccessKey is missing$/);
    expectFailure(await testCredential("aws-access-key", JSON.stringify({ ...aws, region: "Mars 1" })), "invalid", [aws.secretAccessKey], /^AWS access key: region must be an AWS region name/);
    expectFailure(await testCredential("aws-access-key", "[1,2]"), "invalid", [], /must be a JSON object/);
    expect(sts.hits).toBe(hits);
  });
});

describe("gcp-service-account", () => {
  const baseUrls = () => ({ "gcp-token": `${google.url}/token` });

  it("connects when the token endpoint verifies the RS256 assertion (audience: the key file's token_uri)", async () => {
    expect(await testCredential("gcp-service-account", JSON.stringify(account.json), { baseUrls: baseUrls() })).toEqual({ status: "connected" });
  });

  it("posts to the key file's token_uri when no base URL is set", async () => {
    const own = await startGoogleTokenFake({ email: account.json.client_email!, publicKey: account.publicKey });
    try {
      const json = { ...account.json, token_uri: `${own.url}/token` };
      expect(await testCredential("gcp-service-account", JSON.stringify(json))).toEqual({ status: "connected" });
      expect(own.hits).toBe(1);
    } finally {
      await own.close();
    }
  });

  it("stops reading a token answer past 64 KiB: an endless body, or a huge declared length, is cancelled, not buffered", async () => {
    // A value-chosen token_uri answering 200 with JSON that never ends (chunked), or that declares 400 MB.
    const sent = { chunked: 0, declared: 0 };
    let closed = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const server = http.createServer((req, res) => {
      req.resume();
      const declared = req.url === "/declared";
      res.on("close", () => void (closed += 1));
      res.writeHead(200, { "content-type": "application/json", ...(declared ? { "content-length": String(400 * 2 ** 20) } : {}) });
      res.write('{"access_token":"');
      const pump = () => {
        while (!res.destroyed && sent.chunked + sent.declared < 128 * 2 ** 20) {
          if (declared) sent.declared += chunk.length;
          else sent.chunked += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ["/chunked", "/declared"]) {
        const started = Date.now();
        const json = { ...account.json, token_uri: `${url}${path}` };
        const result = await testCredential("gcp-service-account", JSON.stringify(json), { timeoutMs: 8_000 });
        expectFailure(result, "unexpected", [account.json.private_key!.split("\n")[1]!], /^Google OAuth answered 200 without an access token$/);
        expect(Date.now() - started).toBeLessThan(4_000);
      }
      await expect.poll(() => closed, { timeout: 2_000 }).toBe(2);
      // Cancelled after at most 64 KiB read: what was sent is what the sockets' buffers held, far below 400 MB.
      expect(sent.chunked).toBeLessThan(32 * 2 ** 20);
      expect(sent.declared).toBeLessThan(32 * 2 ** 20);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("maps a key the account does not have (invalid_grant) to unauthorized without the provider's description", async () => {
    const other = makeServiceAccount(GOOGLE_TOKEN_URI);
    const forged = { ...account.json, private_key: other.json.private_key! };
    const result = await testCredential("gcp-service-account", JSON.stringify(forged), { baseUrls: baseUrls() });
    expectFailure(result, "unauthorized", [forged.private_key.split("\n")[1]!, "Invalid JWT"], /^Google OAuth answered 400: invalid_grant$/);
  });

  it("refuses a key file without a usable RSA private key", async () => {
    const hits = google.hits;
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const broken = "-----BEGIN PRIVATE KEY-----\nnotakeyatallnotakeyatall\n-----END PRIVATE KEY-----\n";
    expectFailure(await testCredential("gcp-service-account", JSON.stringify({ ...account.json, private_key: broken })), "invalid", ["notakeyatallnotakeyatall"], /^GCP service account: private_key: is not a parseable private key$/);
    expectFailure(await testCredential("gcp-service-account", JSON.stringify({ ...account.json, private_key: ec })), "invalid", [ec.split("\n")[1]!], /^GCP service account: private_key must be an RSA key/);
    expectFailure(await testCredential("gcp-service-account", JSON.stringify({ ...account.json, type: "authorized_user" })), "invalid", [], /^GCP service account: type must be "service_account"$/);
    expectFailure(await testCredential("gcp-service-account", JSON.stringify({ type: "service_account", private_key: account.json.private_key })), "invalid", [account.json.private_key!.split("\n")[1]!], /^GCP service account: client_email must be an email address$/);
    expect(google.hits).toBe(hits);
  });
});

describe("azure-client-secret", () => {
  const baseUrls = () => ({ "azure-authority": azure.url });

  it("connects when the client-credentials token is issued", async () => {
    expect(await testCredential("azure-client-secret", JSON.stringify(entra), { baseUrls: baseUrls() })).toEqual({ status: "connected" });
  });

  it("maps a wrong client secret (401 invalid_client, whose description quotes it) to unauthorized, secret-free", async () => {
    const bad = { ...entra, clientSecret: `Kw8Q~${randomBytes(20).toString("base64url")}` };
    const result = await testCredential("azure-client-secret", JSON.stringify(bad), { baseUrls: baseUrls() });
    expectFailure(result, "unauthorized", [bad.clientSecret, entra.clientSecret], /^Microsoft Entra ID answered 401: invalid_client$/);
  });

  it("maps an unknown application to unauthorized and an unknown tenant to unexpected, with the OAuth error code only", async () => {
    expectFailure(await testCredential("azure-client-secret", JSON.stringify({ ...entra, clientId: randomUUID() }), { baseUrls: baseUrls() }), "unauthorized", [entra.clientSecret], /unauthorized_client$/);
    const result = await testCredential("azure-client-secret", JSON.stringify({ ...entra, tenantId: randomUUID() }), { baseUrls: baseUrls() });
    expectFailure(result, "unexpected", [entra.clientSecret], /^Microsoft Entra ID answered 400: invalid_request$/);
  });

  it("refuses a tenant that is not a GUID or domain before sending the secret anywhere", async () => {
    const hits = azure.hits;
    expectFailure(await testCredential("azure-client-secret", JSON.stringify({ ...entra, tenantId: "../evil" }), { baseUrls: baseUrls() }), "invalid", [entra.clientSecret], /^Azure client secret: tenantId must be a GUID or a domain/);
    expectFailure(await testCredential("azure-client-secret", JSON.stringify({ tenantId: entra.tenantId, clientId: entra.clientId }), { baseUrls: baseUrls() }), "invalid", [], /^Azure client secret: clientSecret is missing$/);
    expect(azure.hits).toBe(hits);
  });
});
