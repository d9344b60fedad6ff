import { createPublicKey, verify } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, SecretsClientError, type SecretsClient } from "../../src/index.js";
import { errorOf } from "../support/errors.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";

const schema = { properties: { API_KEY: { description: "an API key" } } } as const;
const SERVICE = "issuer";
let server: KeywardTestServer;
let token: string;
let client: SecretsClient<typeof schema>;

beforeAll(async () => {
  server = await startKeywardServer();
  token = createServiceToken();
  client = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, retry: { maxAttempts: 1 } });
  await client.register();
  await server.approveToken(token);
  await server.createSigningKey("WEBHOOKS", "hmac-sha256");
  await server.createSigningKey("SERVICE_ACCOUNT_ISSUANCE", "ed25519");
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe("client.sign / client.verify over real gRPC", () => {
  it("throws access_pending on first use (recording the request), then signs and verifies once granted", async () => {
    const pending = await errorOf(client.sign("hello", "WEBHOOKS"));
    expect(pending).toBeInstanceOf(SecretsClientError);
    expect(pending).toMatchObject({ reason: "access_pending", grpcCode: status.PERMISSION_DENIED, secretName: "WEBHOOKS" });
    expect(pending.message).toMatch(/^cannot sign with WEBHOOKS: access_pending: /);
    await server.setAccess("WEBHOOKS", SERVICE, "grant");

    const signed = await client.sign("hello", "WEBHOOKS");
    expect(signed).toEqual({ signature: expect.stringMatching(/^kw1\.1\./), algorithm: "hmac-sha256", keyVersion: 1 });
    // A string is its UTF-8 bytes.
    expect((await client.sign(Buffer.from("hello", "utf8"), "WEBHOOKS")).signature).toBe(signed.signature);
    expect(await client.verify("hello", signed.signature, "WEBHOOKS")).toBe(true);
    expect(await client.verify("hello!", signed.signature, "WEBHOOKS")).toBe(false);
    expect(await client.verify("hello", "not a signature", "WEBHOOKS")).toBe(false);
  });

  it("Ed25519 hands out the public key, and old signatures verify after a rotation", async () => {
    await server.setAccess("SERVICE_ACCOUNT_ISSUANCE", SERVICE, "grant");
    const payload = new Uint8Array([1, 2, 3, 250]);
    const v1 = await client.sign(payload, "SERVICE_ACCOUNT_ISSUANCE");
    expect(v1).toMatchObject({ algorithm: "ed25519", keyVersion: 1, publicKey: expect.any(String) });
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(v1.publicKey!, "base64").toString("base64url") }, format: "jwk" });
    expect(verify(null, payload, key, Buffer.from(v1.signature.split(".")[2]!, "base64url"))).toBe(true);
    await server.rotateSigningKey("SERVICE_ACCOUNT_ISSUANCE");
    const v2 = await client.sign(payload, "SERVICE_ACCOUNT_ISSUANCE");
    expect(v2.keyVersion).toBe(2);
    expect(await client.verify(payload, v1.signature, "SERVICE_ACCOUNT_ISSUANCE")).toBe(true);
    expect(await client.verify(payload, v2.signature, "SERVICE_ACCOUNT_ISSUANCE")).toBe(true);
  });

  it("names what is wrong: a secret is not a signing key, an oversized payload makes no call, a closed client refuses", async () => {
    await server.setValue("API_KEY", "plain");
    await server.setAccess("API_KEY", SERVICE, "grant");
    expect(await errorOf(client.sign("x", "API_KEY"))).toMatchObject({ reason: "not_a_signing_key", grpcCode: status.FAILED_PRECONDITION });
    await server.setAccess("WEBHOOKS", SERVICE, "grant");
    const reads = await server.auditedReads();
    const big = await errorOf(client.sign(new Uint8Array(64 * 1024 + 1), "WEBHOOKS"));
    expect(big).toMatchObject({ reason: "too_large", message: "cannot sign with WEBHOOKS: too_large: payload: at most 65536 bytes, got 65537" });
    expect(await server.auditedReads()).toBe(reads);

    const other = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {} });
    await other.close();
    expect(await errorOf(other.sign("x", "WEBHOOKS"))).toMatchObject({ reason: "closed" });
  });

  it("only the keyward provider signs: the env client says so", async () => {
    const env = createSecretsClient(schema, { mode: "env", env: { API_KEY: "x" } });
    const error = await errorOf(env.sign("x", "WEBHOOKS"));
    expect(error).toMatchObject({ reason: "unsupported", message: 'sign and verify are only supported by the keyward provider (this client uses "env")' });
    expect(await errorOf(env.verify("x", "kw1.1.AAAA", "WEBHOOKS"))).toMatchObject({ reason: "unsupported" });
    await env.close();
  });
});
