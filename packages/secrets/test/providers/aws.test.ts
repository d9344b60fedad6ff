// The AWS provider through the real @aws-sdk/client-secrets-manager against a local server that
// speaks Secrets Manager's JSON 1.1 protocol and checks SigV4 signatures.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsProvider, ProviderError, validateAwsConfig, type AwsProviderConfig, type SecretProvider } from "../../src/providers/aws/index.js";
import { startFakeAwsSecretsManager, type FakeAwsSecretsManager } from "../fixtures/aws-secrets-manager.js";
import { setupAws } from "./aws-setup.js";
import { captureOutput, failureOf, signal } from "./provider-test-support.js";

let fake: FakeAwsSecretsManager;
const providers: SecretProvider[] = [];
const track = <T extends { provider: SecretProvider }>(s: T) => (providers.push(s.provider), s);

beforeAll(async () => {
  fake = await startFakeAwsSecretsManager();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  fake.calls.length = 0;
  fake.refuseBatch(false);
  fake.refuseList(false);
  fake.setPageSize(20);
});

describe("aws provider: fetch", () => {
  it("reads values, missing and denied secrets in one signed BatchGetSecretValue call", async () => {
    const s = track(setupAws(fake));
    s.put("apps/billing/stripe-api-key", "sk_live_aws_1");
    s.put("apps/billing/db-url", "postgres://u:p@db/app");
    s.put("apps/billing/locked", "locked-value-1");
    s.deny("apps/billing/locked");
    const got = await s.provider.fetch(
      [
        { name: "STRIPE_API_KEY", path: "apps/billing/stripe-api-key" },
        { name: "DB_URL", path: "apps/billing/db-url" },
        { name: "GONE", path: "apps/billing/gone" },
        { name: "LOCKED", path: "apps/billing/locked" },
      ],
      { signal: signal() },
    );
    expect(got.get("STRIPE_API_KEY")).toMatchObject({ kind: "ok", value: "sk_live_aws_1" });
    expect(got.get("STRIPE_API_KEY")).toMatchObject({ version: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(got.get("DB_URL")).toMatchObject({ kind: "ok", value: "postgres://u:p@db/app" });
    expect(got.get("GONE")).toEqual({ kind: "missing" });
    expect(got.get("LOCKED")).toMatchObject({ kind: "denied" });
    expect(JSON.stringify(got.get("LOCKED"))).not.toContain("locked-value-1");
    expect(fake.calls).toEqual(["BatchGetSecretValue"]);
  });

  it("asks 20 ids a call and follows NextToken within a call", async () => {
    const s = track(setupAws(fake));
    const refs = Array.from({ length: 45 }, (_, i) => ({ name: `S_${i}`, path: `bulk/s-${i}` }));
    for (const [i, r] of refs.entries()) s.put(r.path, `value-${i}`);
    let got = await s.provider.fetch(refs, { signal: signal() });
    expect(fake.calls).toEqual(["BatchGetSecretValue", "BatchGetSecretValue", "BatchGetSecretValue"]);
    for (const [i, r] of refs.entries()) expect(got.get(r.name)).toMatchObject({ kind: "ok", value: `value-${i}` });

    fake.calls.length = 0;
    fake.setPageSize(7); // 20 ids answered as 7 + 7 + 6: the provider follows NextToken
    got = await s.provider.fetch(refs.slice(0, 20), { signal: signal() });
    expect(fake.calls).toEqual(["BatchGetSecretValue", "BatchGetSecretValue", "BatchGetSecretValue"]);
    expect(fake.bodies.at(-1)).toContain("NextToken");
    for (const [i, r] of refs.slice(0, 20).entries()) expect(got.get(r.name)).toMatchObject({ kind: "ok", value: `value-${i}` });
  });

  it("picks one key of a JSON secret, reading the secret once for several keys", async () => {
    const s = track(setupAws(fake));
    s.put("prod/billing", JSON.stringify({ STRIPE_API_KEY: "sk_json_1", PORT: 5432, EMPTY: null }));
    s.put("prod/plain", "not json at all: plain-secret-9");
    const got = await s.provider.fetch(
      [
        { name: "STRIPE_API_KEY", path: "prod/billing#STRIPE_API_KEY" },
        { name: "PORT", path: "prod/billing#PORT" },
        { name: "ABSENT", path: "prod/billing#ABSENT" },
        { name: "NULLED", path: "prod/billing#EMPTY" },
        { name: "PLAIN", path: "prod/plain#KEY" },
      ],
      { signal: signal() },
    );
    expect(got.get("STRIPE_API_KEY")).toMatchObject({ kind: "ok", value: "sk_json_1" });
    expect(got.get("PORT")).toMatchObject({ kind: "ok", value: "5432" });
    expect(got.get("ABSENT")).toEqual({ kind: "missing" });
    expect(got.get("NULLED")).toEqual({ kind: "missing" });
    const plain = got.get("PLAIN");
    expect(plain).toMatchObject({ kind: "denied", message: expect.stringContaining("does not hold a JSON object") });
    expect(JSON.stringify(plain)).not.toContain("plain-secret-9");
    expect(JSON.parse(fake.bodies.at(-1)!)).toEqual({ SecretIdList: ["prod/billing", "prod/plain"] });
  });

  it("falls back to GetSecretValue when the policy refuses BatchGetSecretValue, and stays there", async () => {
    const s = track(setupAws(fake));
    s.put("fb/one", "v-one");
    s.put("fb/two", "v-two");
    fake.refuseBatch(true);
    const refs = [
      { name: "ONE", path: "fb/one" },
      { name: "TWO", path: "fb/two" },
      { name: "NONE", path: "fb/none" },
    ];
    let got = await s.provider.fetch(refs, { signal: signal() });
    expect(fake.calls).toEqual(["BatchGetSecretValue", "GetSecretValue", "GetSecretValue", "GetSecretValue"]);
    expect(got.get("ONE")).toMatchObject({ kind: "ok", value: "v-one" });
    expect(got.get("TWO")).toMatchObject({ kind: "ok", value: "v-two" });
    expect(got.get("NONE")).toEqual({ kind: "missing" });
    fake.calls.length = 0;
    got = await s.provider.fetch(refs.slice(0, 1), { signal: signal() });
    expect(fake.calls).toEqual(["GetSecretValue"]);
  });

  it("reads another version stage with GetSecretValue", async () => {
    const s = track(setupAws(fake, { versionStage: "AWSPREVIOUS" }));
    s.put("rot/key", "old-value");
    s.put("rot/key", "new-value");
    const got = await s.provider.fetch([{ name: "KEY", path: "rot/key" }], { signal: signal() });
    expect(got.get("KEY")).toMatchObject({ kind: "ok", value: "old-value" });
    expect(fake.calls).toEqual(["GetSecretValue"]);
    expect(JSON.parse(fake.bodies.at(-1)!)).toMatchObject({ SecretId: "rot/key", VersionStage: "AWSPREVIOUS" });
  });

  it("returns a binary secret as base64", async () => {
    const s = track(setupAws(fake));
    fake.put("bin/key", Buffer.from([0, 1, 2, 250]));
    const got = await s.provider.fetch([{ name: "BIN", path: "bin/key" }], { signal: signal() });
    expect(got.get("BIN")).toMatchObject({ kind: "ok", value: Buffer.from([0, 1, 2, 250]).toString("base64") });
  });
});

describe("aws provider: failures", () => {
  it("a wrong secret access key is refused by the signature check (403 InvalidSignatureException) → unauthenticated", async () => {
    const wrongKey = "wrong-secret-access-key-xyz";
    const provider = createAwsProvider({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey: wrongKey } });
    providers.push(provider);
    const e = await failureOf(provider.fetch([{ name: "A", path: "x/a" }], { signal: signal() }));
    expect(e.reason).toBe("unauthenticated");
    expect(e.retryable).toBe(false);
    expect(e.message).toContain("403 InvalidSignatureException");
    expect(e.message).not.toContain(wrongKey);
    expect(fake.calls).toEqual([]); // refused before any operation ran
  });

  it("an unknown access key → unauthenticated (UnrecognizedClientException)", async () => {
    const provider = createAwsProvider({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: "AKIANOBODY", secretAccessKey: "whatever-secret" } });
    providers.push(provider);
    const e = await failureOf(provider.fetch([{ name: "A", path: "x/a" }], { signal: signal() }));
    expect(e.reason).toBe("unauthenticated");
    expect(e.message).toContain("UnrecognizedClientException");
    expect(e.message).not.toContain("whatever-secret");
  });

  it("throttling → a retryable throttled error; the next call works", async () => {
    const s = track(setupAws(fake));
    s.put("t/a", "ta");
    s.throttleNext(1);
    const e = await failureOf(s.provider.fetch([{ name: "A", path: "t/a" }], { signal: signal() }));
    expect(e.reason).toBe("throttled");
    expect(e.retryable).toBe(true);
    expect(e.message).toContain("ThrottlingException");
    expect((await s.provider.fetch([{ name: "A", path: "t/a" }], { signal: signal() })).get("A")).toMatchObject({ kind: "ok", value: "ta" });
  });

  it("a 500 → retryable unavailable; an unreachable endpoint → unavailable", async () => {
    const s = track(setupAws(fake));
    s.breakNext(1);
    const e = await failureOf(s.provider.fetch([{ name: "A", path: "t/a" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "unavailable", retryable: true });
    expect(e.message).toContain("500 InternalServiceError");

    const dead = await startFakeAwsSecretsManager();
    await dead.close();
    const p = createAwsProvider({ region: dead.region, endpoint: dead.endpoint, credentials: dead.credentials });
    providers.push(p);
    const e2 = await failureOf(p.fetch([{ name: "A", path: "t/a" }], { signal: signal() }));
    expect(e2).toMatchObject({ reason: "unavailable", retryable: true });
    expect(e2.message).not.toContain(dead.credentials.secretAccessKey);
  });

  it("config is checked up front and every wrong field is named", () => {
    let e: unknown;
    try {
      validateAwsConfig({ region: "Mars", endpoint: "ftp://x", credentials: { accessKeyId: "" }, versionStage: "", batch: "yes", colour: 1 });
    } catch (error) {
      e = error;
    }
    expect(e).toBeInstanceOf(ProviderError);
    const msg = (e as ProviderError).message;
    expect((e as ProviderError).reason).toBe("invalid_config");
    for (const field of ["region:", "endpoint:", "credentials.accessKeyId:", "credentials.secretAccessKey:", "versionStage:", "batch:", "colour: unknown field"]) {
      expect(msg).toContain(field);
    }
    expect(() => createAwsProvider({ endpoint: "not a url" })).toThrow(/endpoint: expected an http\(s\) URL/);
    expect(() => validateAwsConfig({})).not.toThrow();
  });
});

describe("aws provider: health", () => {
  it("healthy / degraded when throttled or ListSecrets is refused / unavailable when unsigned or unreachable", async () => {
    const s = track(setupAws(fake));
    expect(await s.provider.health({ signal: signal() })).toEqual({ status: "healthy" });
    expect(fake.calls).toEqual(["ListSecrets"]);
    expect(JSON.parse(fake.bodies.at(-1)!)).toEqual({ MaxResults: 1 });

    s.throttleNext(1);
    expect(await s.provider.health({ signal: signal() })).toMatchObject({ status: "degraded", reason: expect.stringContaining("ThrottlingException") });

    fake.refuseList(true);
    expect(await s.provider.health({ signal: signal() })).toMatchObject({ status: "degraded", reason: expect.stringContaining("healthSecretId") });

    const wrong = createAwsProvider({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey: "bad-key-health" } });
    providers.push(wrong);
    const h = await wrong.health({ signal: signal() });
    expect(h.status).toBe("unavailable");
    expect(h.reason).toContain("InvalidSignatureException");
    expect(h.reason).not.toContain("bad-key-health");

    const dead = await startFakeAwsSecretsManager();
    await dead.close();
    const p = createAwsProvider({ region: dead.region, endpoint: dead.endpoint, credentials: dead.credentials });
    providers.push(p);
    expect(await p.health({ signal: signal() })).toMatchObject({ status: "unavailable", reason: expect.stringContaining("could not be reached") });
  });

  it("with healthSecretId describes that secret instead of listing", async () => {
    const s = track(setupAws(fake, { healthSecretId: "h/known" }));
    s.put("h/known", "hv");
    fake.refuseList(true);
    expect(await s.provider.health({ signal: signal() })).toEqual({ status: "healthy" });
    expect(fake.calls).toEqual(["DescribeSecret"]);
    expect(fake.bodies.at(-1)).not.toContain("hv\"");
  });
});

describe("aws provider: no secret in any output", () => {
  it("values and keys never reach stdout, stderr, errors or results' messages", async () => {
    const value = "sk_live_never_printed_aws";
    const badKey = "bad-secret-access-key-never-printed";
    const texts: string[] = [];
    const output = await captureOutput(async () => {
      const s = track(setupAws(fake));
      s.put("out/one", value);
      s.put("out/json", JSON.stringify({ K: value }));
      s.deny("out/one");
      const got = await s.provider.fetch([{ name: "ONE", path: "out/one" }, { name: "J", path: "out/json#MISSING" }], { signal: signal() });
      texts.push(JSON.stringify([...got]));
      const wrong = createAwsProvider({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey: badKey } });
      providers.push(wrong);
      texts.push(String(await wrong.fetch([{ name: "ONE", path: "out/one" }], { signal: signal() }).catch((e: Error) => `${e.message} ${e.stack}`)));
      texts.push(JSON.stringify(await wrong.health({ signal: signal() })));
    });
    for (const t of [output, ...texts]) {
      expect(t).not.toContain(value);
      expect(t).not.toContain(badKey);
      expect(t).not.toContain(fake.credentials.secretAccessKey);
    }
    expect(texts.join(" ")).toContain("InvalidSignatureException"); // the failure did happen
  });
});
