import { namingFunction } from "../../src/providers/naming.js";
// The Azure provider through the real @azure/keyvault-secrets and @azure/identity against a local
// HTTPS Key Vault that sends the bearer challenge, and a fake Entra ID that checks the client secret.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  azureDefaultNaming,
  createAzureProvider,
  ProviderError,
  validateAzureConfig,
  type AzureProviderConfig,
  type SecretProvider,
} from "../../src/providers/azure/index.js";
import { startFakeAzureKeyVault, type FakeAzureKeyVault } from "../fixtures/azure-key-vault.js";
import { configFor, setupAzure } from "./azure-setup.js";
import { captureOutput, failureOf, signal } from "./provider-test-support.js";

let fake: FakeAzureKeyVault;
const providers: SecretProvider[] = [];
const track = <T extends { provider: SecretProvider }>(s: T) => (providers.push(s.provider), s);

beforeAll(async () => {
  fake = await startFakeAzureKeyVault();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  fake.calls.length = 0;
  fake.refuseList(false);
});

describe("azure provider: fetch", () => {
  it("answers the bearer challenge with a client-secret token, then reads values, missing and denied secrets", async () => {
    const s = track(setupAzure(fake));
    const name = namingFunction(azureDefaultNaming);
    expect(name("STRIPE_API_KEY")).toBe("stripe-api-key");
    s.put("stripe-api-key", "sk_live_az_1");
    s.put("locked", "locked-az-value");
    s.deny("locked");
    const got = await s.provider.fetch(
      [
        { name: "STRIPE_API_KEY", path: name("STRIPE_API_KEY") },
        { name: "GONE", path: "gone" },
        { name: "LOCKED", path: "locked" },
      ],
      { signal: signal() },
    );
    expect(got.get("STRIPE_API_KEY")).toMatchObject({ kind: "ok", value: "sk_live_az_1", version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(got.get("GONE")).toEqual({ kind: "missing" });
    expect(got.get("LOCKED")).toMatchObject({ kind: "denied", message: expect.stringContaining("403") });
    expect(JSON.stringify(got.get("LOCKED"))).not.toContain("locked-az-value");
    expect(fake.calls.filter((c) => c.startsWith("TOKEN"))).toEqual([`TOKEN ${fake.clientId}`]);
    expect(fake.calls.filter((c) => c.startsWith("GET")).sort()).toEqual(["GET /secrets/gone/", "GET /secrets/locked/", "GET /secrets/stripe-api-key/"]);

    // The token is cached: a second fetch asks Entra ID nothing.
    fake.calls.length = 0;
    await s.provider.fetch([{ name: "STRIPE_API_KEY", path: "stripe-api-key" }], { signal: signal() });
    expect(fake.calls).toEqual(["GET /secrets/stripe-api-key/"]);
  });

  it("reads a pinned version with name/version", async () => {
    const s = track(setupAzure(fake));
    const v1 = fake.put("rotating", "first");
    fake.put("rotating", "second");
    const got = await s.provider.fetch(
      [
        { name: "NOW", path: "rotating" },
        { name: "THEN", path: `rotating/${v1}` },
      ],
      { signal: signal() },
    );
    expect(got.get("NOW")).toMatchObject({ kind: "ok", value: "second" });
    expect(got.get("THEN")).toMatchObject({ kind: "ok", value: "first", version: v1 });
  });

  it("refuses names Key Vault cannot hold, naming each, before any request", async () => {
    const s = track(setupAzure(fake));
    const e = await failureOf(
      s.provider.fetch(
        [
          { name: "STRIPE_API_KEY", path: "STRIPE_API_KEY" },
          { name: "OK", path: "ok" },
          { name: "DOTTED", path: "a.b" },
        ],
        { signal: signal() },
      ),
    );
    expect(e.reason).toBe("invalid_config");
    expect(e.message).toContain('STRIPE_API_KEY → "STRIPE_API_KEY"');
    expect(e.message).toContain('DOTTED → "a.b"');
    expect(e.message).not.toContain("OK →");
    expect(fake.calls).toEqual([]);
  });
});

describe("azure provider: failures", () => {
  it("a wrong client secret → unauthenticated, the secret in no message", async () => {
    const wrong = "wrong-client-secret-abc";
    const provider = createAzureProvider(
      configFor(fake, { clientSecret: { tenantId: fake.tenantId, clientId: fake.clientId, clientSecret: wrong, authorityHost: fake.authorityHost } }),
    );
    providers.push(provider);
    const e = await failureOf(provider.fetch([{ name: "A", path: "a" }], { signal: signal() }));
    expect(e.reason).toBe("unauthenticated");
    expect(e.retryable).toBe(false);
    expect(e.message).not.toContain(wrong);
    expect(JSON.stringify(e)).not.toContain(wrong);
    const h = await provider.health({ signal: signal() });
    expect(h.status).toBe("unavailable");
    expect(h.reason).not.toContain(wrong);
  });

  it("429 with Retry-After → throttled with retryAfterMs; 503 → unavailable; both retryable", async () => {
    const s = track(setupAzure(fake));
    s.put("t-a", "ta");
    fake.throttleNext(1, 7);
    const e = await failureOf(s.provider.fetch([{ name: "A", path: "t-a" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "throttled", retryable: true, retryAfterMs: 7000 });
    expect(e.message).toContain("429 Throttled");
    s.breakNext(1);
    const e2 = await failureOf(s.provider.fetch([{ name: "A", path: "t-a" }], { signal: signal() }));
    expect(e2).toMatchObject({ reason: "unavailable", retryable: true });
    expect((await s.provider.fetch([{ name: "A", path: "t-a" }], { signal: signal() })).get("A")).toMatchObject({ kind: "ok", value: "ta" });
  });

  it("an untrusted certificate or an unreachable vault → unavailable", async () => {
    const untrusted = createAzureProvider(configFor(fake, { http: { disableChallengeResourceVerification: true } }));
    providers.push(untrusted);
    const e = await failureOf(untrusted.fetch([{ name: "A", path: "a" }], { signal: signal() }));
    expect(e.reason).toBe("unavailable");

    const dead = await startFakeAzureKeyVault();
    await dead.close();
    const p = createAzureProvider(configFor(dead));
    providers.push(p);
    const e2 = await failureOf(p.fetch([{ name: "A", path: "a" }], { signal: signal() }));
    expect(e2).toMatchObject({ reason: "unavailable", retryable: true });
  });

  it("config is checked up front and every wrong field is named", () => {
    let e: unknown;
    try {
      validateAzureConfig({ vaultUrl: "http://vault", clientSecret: { tenantId: "", clientSecret: "" }, healthSecretName: "a_b", concurrency: 0, extra: true });
    } catch (error) {
      e = error;
    }
    expect(e).toBeInstanceOf(ProviderError);
    const msg = (e as ProviderError).message;
    for (const f of ["vaultUrl:", "clientSecret.tenantId:", "clientSecret.clientId:", "clientSecret.clientSecret:", "healthSecretName:", "concurrency:", "extra: unknown field"]) {
      expect(msg).toContain(f);
    }
    expect(() => createAzureProvider({} as AzureProviderConfig)).toThrow(/vaultUrl: required/);
  });
});

describe("azure provider: health", () => {
  it("healthy / degraded when throttled or list is refused / healthSecretName reads one secret", async () => {
    const s = track(setupAzure(fake));
    expect(await s.provider.health({ signal: signal() })).toEqual({ status: "healthy" });
    expect(fake.calls.at(-1)).toBe("GET /secrets");
    fake.throttleNext(1, 2);
    expect(await s.provider.health({ signal: signal() })).toMatchObject({ status: "degraded", reason: expect.stringContaining("429") });
    fake.refuseList(true);
    expect(await s.provider.health({ signal: signal() })).toMatchObject({ status: "degraded", reason: expect.stringContaining("healthSecretName") });

    const named = track(setupAzure(fake, { healthSecretName: "health-probe" }));
    expect(await named.provider.health({ signal: signal() })).toEqual({ status: "healthy" });
    expect(fake.calls.at(-1)).toBe("GET /secrets/health-probe/");
  });
});

describe("azure provider: no secret in any output", () => {
  it("values, client secrets and tokens never reach stdout, stderr or errors", async () => {
    const value = "sk_live_never_printed_az";
    const badSecret = "bad-client-secret-never-printed";
    const texts: string[] = [];
    const output = await captureOutput(async () => {
      const s = track(setupAzure(fake));
      s.put("out-one", value);
      s.put("out-two", value);
      s.deny("out-two");
      texts.push(JSON.stringify([...(await s.provider.fetch([{ name: "ONE", path: "out-one" }, { name: "TWO", path: "out-two" }], { signal: signal() }))].filter(([n]) => n === "TWO")));
      const wrong = createAzureProvider(
        configFor(fake, { clientSecret: { tenantId: fake.tenantId, clientId: fake.clientId, clientSecret: badSecret, authorityHost: fake.authorityHost } }),
      );
      providers.push(wrong);
      texts.push(String(await wrong.fetch([{ name: "ONE", path: "out-one" }], { signal: signal() }).catch((e: Error) => `${e.message} ${e.stack}`)));
    });
    for (const t of [output, ...texts]) {
      expect(t).not.toContain(value);
      expect(t).not.toContain(badSecret);
      expect(t).not.toContain(fake.clientSecret);
      expect(t).not.toContain("fake-access-token-");
    }
    expect(texts.join(" ")).toContain("refused the credential");
  });
});
