import { createPublicKey, verify as verifyEd25519 } from "node:crypto";
import { status, type Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigningKey, decideAccessRequest, ensureAccessRequest, readSigningKeyMaterial, retireSigningKeyVersions, rotateSigningKey, setSecretEnabled, verifyAuditChain } from "@keyward/db";
import {
  SigningAlgorithm,
  type GetSecretRequest,
  type GetSecretResponse,
  type GetSecretsRequest,
  type GetSecretsResponse,
  type SignRequest,
  type SignResponse,
  type VerifyRequest,
  type VerifyResponse,
} from "@keyward/proto";
import { bearer, environmentId, freshPglite, reasonOf, secretFor, startTestServer, tokenWithStatus, unary, type TestServer } from "./harness.js";

let t: TestServer;
let big: TestServer;
let token: string;
const SERVICE = "issuer";
const PAYLOAD = Buffer.from("account=42;scope=issue;nonce=" + "q".repeat(40));

const sign = (purpose: string, md: Metadata, payload: Buffer = PAYLOAD, server = t) =>
  unary<SignRequest, SignResponse>(server.client.sign.bind(server.client), { payload, purpose }, md);
const verify = (purpose: string, signature: string, md: Metadata, payload: Buffer = PAYLOAD) =>
  unary<VerifyRequest, VerifyResponse>(t.client.verify.bind(t.client), { payload, signature, purpose }, md);
const at = () => new Date();

/** A signing key in the default environment, and the service's access request in `access` state. */
async function keyFor(name: string, algorithm: "hmac-sha256" | "ed25519", access: "granted" | "pending" | "denied" | undefined, server = t) {
  const envId = await environmentId(server.kdb.db);
  const made = await createSigningKey(server.kdb.db, server.envelope, { environmentId: envId, name, algorithm, actor: "admin", at: at() });
  expect(made.kind).toBe("ok");
  if (!access) return;
  const { request } = await ensureAccessRequest(server.kdb.db, { environmentId: envId, secretName: name, serviceName: SERVICE, at: at() });
  if (access !== "pending") await decideAccessRequest(server.kdb.db, { environmentId: envId, id: request.id, decision: access === "granted" ? "grant" : "deny", actor: "admin", at: at() });
}

beforeAll(async () => {
  t = await startTestServer(await freshPglite());
  big = await startTestServer(await freshPglite(), { maxMessageBytes: 256 * 1024 });
  token = (await tokenWithStatus(t.kdb.db, SERVICE, "approved")).token;
  await keyFor("WEBHOOK_SIGNING", "hmac-sha256", "granted");
  await keyFor("SERVICE_ACCOUNT_ISSUANCE", "ed25519", "granted");
});
afterAll(async () => {
  await t?.close();
  await big?.close();
});

describe("Sign and Verify over loopback gRPC", () => {
  it("HMAC-SHA256: signs with the current version, verifies it, and refuses a tampered payload or signature", async () => {
    const signed = await sign("WEBHOOK_SIGNING", bearer(token));
    expect(signed.err).toBeUndefined();
    expect(signed.res).toMatchObject({ algorithm: SigningAlgorithm.SIGNING_ALGORITHM_HMAC_SHA256, keyVersion: 1, publicKey: "" });
    expect(signed.res!.signature).toMatch(/^kw1\.1\.[A-Za-z0-9_-]{43}$/);
    // Deterministic: the same payload signs the same.
    expect((await sign("WEBHOOK_SIGNING", bearer(token))).res!.signature).toBe(signed.res!.signature);

    expect((await verify("WEBHOOK_SIGNING", signed.res!.signature, bearer(token))).res).toMatchObject({ valid: true, keyVersion: 1, algorithm: SigningAlgorithm.SIGNING_ALGORITHM_HMAC_SHA256 });
    expect((await verify("WEBHOOK_SIGNING", signed.res!.signature, bearer(token), Buffer.from("account=43"))).res?.valid).toBe(false);
    const flipped = signed.res!.signature.slice(0, -2) + (signed.res!.signature.endsWith("AA") ? "BA" : "AA");
    expect((await verify("WEBHOOK_SIGNING", flipped, bearer(token))).res?.valid).toBe(false);
    for (const malformed of ["", "garbage", "kw1.1.", "kw1.x.AAAA", "kw1.9.AAAA"]) {
      expect((await verify("WEBHOOK_SIGNING", malformed, bearer(token))).res, malformed).toMatchObject({ valid: false });
    }
    // Another key (granted too) does not accept this key's signature.
    expect((await verify("SERVICE_ACCOUNT_ISSUANCE", signed.res!.signature, bearer(token))).res?.valid).toBe(false);
  });

  it("Ed25519: the signature verifies with the returned public key alone, outside Keyward", async () => {
    const signed = await sign("SERVICE_ACCOUNT_ISSUANCE", bearer(token));
    expect(signed.res).toMatchObject({ algorithm: SigningAlgorithm.SIGNING_ALGORITHM_ED25519, keyVersion: 1 });
    const raw = Buffer.from(signed.res!.signature.split(".")[2]!, "base64url");
    expect(raw).toHaveLength(64);
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(signed.res!.publicKey, "base64").toString("base64url") }, format: "jwk" });
    expect(verifyEd25519(null, PAYLOAD, publicKey, raw)).toBe(true);
    expect(verifyEd25519(null, Buffer.from("other"), publicKey, raw)).toBe(false);
    const checked = await verify("SERVICE_ACCOUNT_ISSUANCE", signed.res!.signature, bearer(token));
    expect(checked.res).toMatchObject({ valid: true, keyVersion: 1, publicKey: signed.res!.publicKey });
    expect((await verify("SERVICE_ACCOUNT_ISSUANCE", signed.res!.signature, bearer(token), Buffer.from("x"))).res?.valid).toBe(false);
  });

  it("rotation: new signatures use the new version, old ones verify until an admin retires their version", async () => {
    await keyFor("ROTATED", "ed25519", "granted");
    const envId = await environmentId(t.kdb.db);
    const v1 = (await sign("ROTATED", bearer(token))).res!;
    expect(await rotateSigningKey(t.kdb.db, t.envelope, { environmentId: envId, name: "ROTATED", actor: "admin", at: at() })).toEqual({ kind: "ok", version: 2 });
    const v2 = (await sign("ROTATED", bearer(token))).res!;
    expect(v2.keyVersion).toBe(2);
    expect(v2.publicKey).not.toBe(v1.publicKey);
    expect((await verify("ROTATED", v1.signature, bearer(token))).res).toMatchObject({ valid: true, keyVersion: 1, publicKey: v1.publicKey });
    expect((await verify("ROTATED", v2.signature, bearer(token))).res).toMatchObject({ valid: true, keyVersion: 2 });
    // A v1 signature relabelled as v2 does not verify.
    expect((await verify("ROTATED", v1.signature.replace("kw1.1.", "kw1.2."), bearer(token))).res?.valid).toBe(false);
    await retireSigningKeyVersions(t.kdb.db, { environmentId: envId, name: "ROTATED", below: 2 });
    expect((await verify("ROTATED", v1.signature, bearer(token))).res).toMatchObject({ valid: false, keyVersion: 1, publicKey: "" });
    expect((await verify("ROTATED", v2.signature, bearer(token))).res?.valid).toBe(true);
  });

  it("access: a first Sign records a pending access request (no stub), denied and missing keys answer as secrets do", async () => {
    const other = (await tokenWithStatus(t.kdb.db, "newcomer", "approved")).token;
    const pending = await sign("WEBHOOK_SIGNING", bearer(other));
    expect(pending.err?.code).toBe(status.PERMISSION_DENIED);
    expect(reasonOf(pending.err)).toBe("access_pending");
    const requests = await t.kdb.db.selectFrom("access_requests").selectAll().where("service_name", "=", "newcomer").execute();
    expect(requests.map((r) => [r.secret_name, r.status])).toEqual([["WEBHOOK_SIGNING", "pending"]]);
    expect(reasonOf((await verify("WEBHOOK_SIGNING", "kw1.1.AAAA", bearer(other))).err)).toBe("access_pending");

    // A name that is nothing yet answers the same (the service cannot probe names), and no secret stub is made.
    const missing = await sign("NOT_A_KEY_YET", bearer(other));
    expect(reasonOf(missing.err)).toBe("access_pending");
    expect(await t.kdb.db.selectFrom("secrets").select("id").where("name", "=", "NOT_A_KEY_YET").execute()).toEqual([]);

    await keyFor("DENIED_KEY", "hmac-sha256", "denied");
    expect(reasonOf((await sign("DENIED_KEY", bearer(token))).err)).toBe("access_denied");

    const pendingToken = (await tokenWithStatus(t.kdb.db, "waiting", "pending")).token;
    expect(reasonOf((await sign("WEBHOOK_SIGNING", bearer(pendingToken))).err)).toBe("token_pending");
    const none = await sign("WEBHOOK_SIGNING", bearer());
    expect(none.err?.code).toBe(status.UNAUTHENTICATED);
    expect(reasonOf(none.err)).toBe("token_missing");
    const badName = await sign("lower-case", bearer(token));
    expect(badName.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(reasonOf(badName.err)).toBe("invalid_name");
  });

  it("a granted name that is a secret or nothing is not a signing key; a disabled key is refused", async () => {
    await secretFor(t.kdb.db, t.envelope, { name: "PLAIN_SECRET", serviceName: SERVICE, value: "plain-value", access: "granted" });
    const plain = await sign("PLAIN_SECRET", bearer(token));
    expect(plain.err?.code).toBe(status.FAILED_PRECONDITION);
    expect(reasonOf(plain.err)).toBe("not_a_signing_key");
    expect(plain.err?.details).toMatch(/PLAIN_SECRET is not a signing key/);

    await keyFor("SOON_DISABLED", "hmac-sha256", "granted");
    const before = (await sign("SOON_DISABLED", bearer(token))).res!;
    await setSecretEnabled(t.kdb.db, { environmentId: await environmentId(t.kdb.db), name: "SOON_DISABLED", enabled: false, actor: "admin", at: at() });
    const disabled = await sign("SOON_DISABLED", bearer(token));
    expect(disabled.err?.code).toBe(status.FAILED_PRECONDITION);
    expect(reasonOf(disabled.err)).toBe("signing_key_disabled");
    expect(reasonOf((await verify("SOON_DISABLED", before.signature, bearer(token))).err)).toBe("signing_key_disabled");
  });

  it("bounds the payload at 64 KiB with a clear error, whatever the server's message limit", async () => {
    // Default limit: the whole message is refused before the handler (too_large).
    const over = await sign("WEBHOOK_SIGNING", bearer(token), Buffer.alloc(64 * 1024 + 1));
    expect(over.err?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(reasonOf(over.err)).toBe("too_large");
    // A server that takes bigger messages still refuses a payload over 64 KiB, naming the field.
    const bigToken = (await tokenWithStatus(big.kdb.db, SERVICE, "approved")).token;
    await keyFor("WEBHOOK_SIGNING", "hmac-sha256", "granted", big);
    expect((await sign("WEBHOOK_SIGNING", bearer(bigToken), Buffer.alloc(64 * 1024), big)).res?.keyVersion).toBe(1);
    const refused = await sign("WEBHOOK_SIGNING", bearer(bigToken), Buffer.alloc(64 * 1024 + 1), big);
    expect(refused.err?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(reasonOf(refused.err)).toBe("too_large");
    expect(refused.err?.details).toBe("payload: at most 65536 bytes, got 65537");
  });

  it("answers any signature or payload bytes with valid: false, never an error", async () => {
    const signed = (await sign("WEBHOOK_SIGNING", bearer(token))).res!;
    // A seeded generator: the same inputs every run.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => next() % 256));
    for (let i = 0; i < 40; i++) {
      const text = i % 2 === 0 ? bytes(next() % 120).toString("latin1") : `kw1.${(next() % 5) + 1}.${bytes(next() % 64).toString("base64url")}`;
      const r = await verify("WEBHOOK_SIGNING", text, bearer(token), i % 3 === 0 ? bytes(next() % 300) : PAYLOAD);
      expect(r.err, text).toBeUndefined();
      expect(r.res?.valid, text).toBe(text === signed.signature);
    }
  });

  it("never hands out key material: GetSecret and GetSecrets refuse a signing key, and nothing leaks to the audit log or the logs", async () => {
    const got = await unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name: "WEBHOOK_SIGNING", description: "" }, bearer(token));
    expect(got.err?.code).toBe(status.FAILED_PRECONDITION);
    expect(reasonOf(got.err)).toBe("signing_key");
    expect(got.err?.details).toMatch(/use Sign and Verify/);
    const batch = await unary<GetSecretsRequest, GetSecretsResponse>(t.client.getSecrets.bind(t.client), { secrets: [{ name: "WEBHOOK_SIGNING", description: "" }, { name: "PLAIN_SECRET", description: "" }] }, bearer(token));
    expect(batch.res?.results.map((r) => [r.name, r.value, r.message ? "refused" : "ok"])).toEqual([
      ["WEBHOOK_SIGNING", "", "refused"],
      ["PLAIN_SECRET", "plain-value", "ok"],
    ]);

    const signed = (await sign("WEBHOOK_SIGNING", bearer(token))).res!;
    await verify("WEBHOOK_SIGNING", signed.signature, bearer(token));
    const envId = await environmentId(t.kdb.db);
    const material = await readSigningKeyMaterial(t.kdb.db, t.envelope, { environmentId: envId, name: "WEBHOOK_SIGNING" });
    expect(material.kind).toBe("ok");
    const rows = await t.kdb.db.selectFrom("audit_log").selectAll().where("action", "in", ["signing_key.sign", "signing_key.verify"]).orderBy("seq").execute();
    expect(rows.some((r) => r.action === "signing_key.sign" && r.result === "ok" && r.target === "signing_key:WEBHOOK_SIGNING/v1" && r.actor_type === "service")).toBe(true);
    expect(rows.some((r) => r.action === "signing_key.verify" && r.result === "valid" && r.target === "signing_key:WEBHOOK_SIGNING/v1")).toBe(true);
    expect(rows.some((r) => r.action === "signing_key.verify" && r.result === "invalid")).toBe(true);
    expect(rows.some((r) => r.action === "signing_key.sign" && r.result === "refused" && r.reason === "access_pending")).toBe(true);
    const secretsToHide = [signed.signature, signed.signature.split(".")[2]!, PAYLOAD.toString(), material.kind === "ok" ? material.material : "?", token];
    const everything = JSON.stringify(await t.kdb.db.selectFrom("audit_log").selectAll().execute()) + t.logs();
    for (const s of secretsToHide) expect(everything).not.toContain(s);
    expect((await verifyAuditChain(t.kdb.db, t.auditKey)).ok).toBe(true);
  });
});
