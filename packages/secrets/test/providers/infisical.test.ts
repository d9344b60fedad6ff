// The Infisical provider through the real @infisical/sdk (universal auth) against a local server
// that speaks the API paths the SDK calls.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createInfisicalProvider,
  ProviderError,
  validateInfisicalConfig,
  type InfisicalProviderConfig,
  type SecretProvider,
} from "../../src/providers/infisical/index.js";
import { startFakeInfisical, type FakeInfisical } from "../fixtures/infisical-server.js";
import { configFor, setupInfisical } from "./infisical-setup.js";
import { captureOutput, failureOf, signal } from "./provider-test-support.js";

let fake: FakeInfisical;
const providers: SecretProvider[] = [];
const track = <T extends { provider: SecretProvider }>(s: T) => (providers.push(s.provider), s);

beforeAll(async () => {
  fake = await startFakeInfisical();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  fake.calls.length = 0;
  fake.queries.length = 0;
});

describe("infisical provider: fetch", () => {
  it("logs in once with universal auth and lists each folder once: values, missing and hidden secrets", async () => {
    const s = track(setupInfisical(fake));
    s.put("STRIPE_API_KEY", "sk_live_inf_1");
    s.put("/apps/billing/DB_URL", "postgres://inf");
    s.put("/apps/billing/LOCKED", "locked-inf-value");
    s.deny("/apps/billing/LOCKED");
    const got = await s.provider.fetch(
      [
        { name: "STRIPE_API_KEY", path: "STRIPE_API_KEY" },
        { name: "GONE", path: "GONE" },
        { name: "DB_URL", path: "/apps/billing/DB_URL" },
        { name: "LOCKED", path: "/apps/billing/LOCKED" },
        { name: "NO_FOLDER", path: "/nowhere/X" },
      ],
      { signal: signal() },
    );
    expect(got.get("STRIPE_API_KEY")).toEqual({ kind: "ok", value: "sk_live_inf_1", version: "1" });
    expect(got.get("GONE")).toEqual({ kind: "missing" });
    expect(got.get("DB_URL")).toMatchObject({ kind: "ok", value: "postgres://inf" });
    expect(got.get("LOCKED")).toMatchObject({ kind: "denied", message: expect.stringContaining("/apps/billing/LOCKED") });
    expect(JSON.stringify(got.get("LOCKED"))).not.toContain("locked-inf-value");
    expect(got.get("NO_FOLDER")).toEqual({ kind: "missing" });
    expect(fake.calls).toEqual(["LOGIN", "LIST /", "LIST /apps/billing", "LIST /nowhere"]);
    expect(fake.queries[0]!.get("workspaceId")).toBe(fake.projectId);
    expect(fake.queries[0]!.get("environment")).toBe("prod");
    expect(fake.queries[0]!.get("include_imports")).toBe("true");

    fake.calls.length = 0;
    await s.provider.fetch([{ name: "STRIPE_API_KEY", path: "STRIPE_API_KEY" }], { signal: signal() });
    expect(fake.calls).toEqual(["LIST /"]); // the token is kept
  });

  it("a configured secretPath is the folder of relative paths; imports are read and the folder's own secrets win", async () => {
    const s = track(setupInfisical(fake, { secretPath: "/svc" }));
    s.put("/shared/COMMON", "from-shared");
    s.put("/shared/OVERRIDDEN", "shared-version");
    s.put("/svc/OVERRIDDEN", "own-version");
    fake.importFolder("/svc", "/shared");
    const got = await s.provider.fetch(
      [
        { name: "COMMON", path: "COMMON" },
        { name: "OVERRIDDEN", path: "OVERRIDDEN" },
      ],
      { signal: signal() },
    );
    expect(got.get("COMMON")).toMatchObject({ kind: "ok", value: "from-shared" });
    expect(got.get("OVERRIDDEN")).toMatchObject({ kind: "ok", value: "own-version" });
  });

  it("a 403 folder is denied for each of its secrets; an expired token logs in again once", async () => {
    const s = track(setupInfisical(fake));
    s.put("/locked/A", "a");
    fake.denyFolder("/locked");
    const got = await s.provider.fetch([{ name: "A", path: "/locked/A" }], { signal: signal() });
    expect(got.get("A")).toMatchObject({ kind: "denied", message: expect.stringContaining("403") });

    s.put("ROOT", "root-value");
    fake.calls.length = 0;
    fake.expireTokens();
    const again = await s.provider.fetch([{ name: "ROOT", path: "ROOT" }], { signal: signal() });
    expect(again.get("ROOT")).toMatchObject({ kind: "ok", value: "root-value" });
    expect(fake.calls).toEqual(["LOGIN", "LIST /"]);
  });

  it("refuses paths Infisical cannot hold, naming each, before any request", async () => {
    const s = track(setupInfisical(fake));
    const e = await failureOf(
      s.provider.fetch(
        [
          { name: "SPACE", path: "has space" },
          { name: "OK", path: "OK" },
          { name: "TRAIL", path: "/folder/" },
        ],
        { signal: signal() },
      ),
    );
    expect(e.reason).toBe("invalid_config");
    expect(e.message).toContain('SPACE → "has space"');
    expect(e.message).toContain('TRAIL → "/folder/"');
    expect(fake.calls).toEqual([]);
  });
});

describe("infisical provider: failures", () => {
  it("a wrong client secret → unauthenticated, not retried, the secret in no message", async () => {
    const wrong = "wrong-infisical-secret-xyz";
    const provider = createInfisicalProvider(configFor(fake, { clientSecret: wrong }));
    providers.push(provider);
    const e = await failureOf(provider.fetch([{ name: "A", path: "A" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "unauthenticated", retryable: false });
    expect(e.message).not.toContain(wrong);
    const h = await provider.health({ signal: signal() });
    expect(h.status).toBe("unavailable");
    expect(h.reason).not.toContain(wrong);
    expect(fake.calls).toEqual(["LOGIN", "LOGIN"]); // a failed login is not remembered
  });

  it("a 500 → retryable unavailable; the next call works", async () => {
    const s = track(setupInfisical(fake));
    s.put("B", "bv");
    s.breakNext(1);
    const e = await failureOf(s.provider.fetch([{ name: "B", path: "B" }], { signal: signal() }));
    expect(e).toMatchObject({ reason: "unavailable", retryable: true });
    expect(e.message).toContain("500");
    expect((await s.provider.fetch([{ name: "B", path: "B" }], { signal: signal() })).get("B")).toMatchObject({ kind: "ok", value: "bv" });
  });

  // @infisical/sdk retries a 429 and a network error itself, 4 times with 1-2-4-8 s backoff, and
  // cannot be told otherwise: this test waits that out (about 15 s) for both cases at once.
  it("429 past the SDK's own retries → throttled; an unreachable site → unavailable", { timeout: 60_000 }, async () => {
    const s = track(setupInfisical(fake));
    s.put("T", "tv");
    await s.provider.fetch([{ name: "T", path: "T" }], { signal: signal() }); // logged in
    fake.calls.length = 0;
    s.throttleNext(5);
    const dead = await startFakeInfisical();
    await dead.close();
    const unreachable = createInfisicalProvider(configFor(dead));
    providers.push(unreachable);
    const [e, e2] = await Promise.all([
      failureOf(s.provider.fetch([{ name: "T", path: "T" }], { signal: signal() })),
      failureOf(unreachable.fetch([{ name: "T", path: "T" }], { signal: signal() })),
    ]);
    expect(e).toMatchObject({ reason: "throttled", retryable: true });
    expect(e.message).toContain("429");
    expect(fake.calls).toEqual(["LIST /", "LIST /", "LIST /", "LIST /", "LIST /"]);
    expect(e2).toMatchObject({ reason: "unavailable", retryable: true });
  });

  it("an aborted signal ends the call at once", async () => {
    const s = track(setupInfisical(fake));
    const ac = new AbortController();
    ac.abort(new Error("caller gave up"));
    await expect(s.provider.fetch([{ name: "A", path: "A" }], { signal: ac.signal })).rejects.toThrow("caller gave up");
  });

  it("config is checked up front and every wrong or missing field is named", () => {
    let e: unknown;
    try {
      validateInfisicalConfig({ siteUrl: "nope", clientId: "", projectId: 3, environment: "pr od", secretPath: "relative", includeImports: "yes", token: "x" });
    } catch (error) {
      e = error;
    }
    expect(e).toBeInstanceOf(ProviderError);
    const msg = (e as ProviderError).message;
    for (const f of ["siteUrl:", "clientId: required", "clientSecret: required", "projectId: required", "environment: expected a slug", "secretPath:", "includeImports:", "token: unknown field"]) {
      expect(msg).toContain(f);
    }
  });
});

describe("infisical provider: health", () => {
  it("healthy lists the folder without values; a wrong project → unavailable with the reason", async () => {
    const s = track(setupInfisical(fake));
    expect(await s.provider.health({ signal: signal() })).toEqual({ status: "healthy" });
    expect(fake.queries.at(-1)!.get("viewSecretValue")).toBe("false");
    // One request, not the SDK's 15 s of 429 retries: a throttled Infisical is degraded at once.
    fake.calls.length = 0;
    s.throttleNext(1);
    const started = Date.now();
    expect(await s.provider.health({ signal: signal() })).toMatchObject({ status: "degraded", reason: expect.stringContaining("429") });
    expect(Date.now() - started).toBeLessThan(900);
    expect(fake.calls).toEqual(["LIST /"]);
    s.breakNext(1);
    expect(await s.provider.health({ signal: signal() })).toMatchObject({ status: "unavailable", reason: expect.stringContaining("500") });

    const wrong = createInfisicalProvider(configFor(fake, { projectId: "00000000-0000-0000-0000-000000000000" }));
    providers.push(wrong);
    expect(await wrong.health({ signal: signal() })).toMatchObject({ status: "unavailable", reason: expect.stringContaining("404") });
  });
});

describe("infisical provider: no secret in any output", () => {
  it("values, client secrets and tokens never reach stdout, stderr or errors", async () => {
    const value = "sk_live_never_printed_inf";
    const badSecret = "bad-infisical-secret-never-printed";
    const texts: string[] = [];
    const output = await captureOutput(async () => {
      const s = track(setupInfisical(fake));
      s.put("/out/HIDDEN", value);
      s.deny("/out/HIDDEN");
      texts.push(JSON.stringify([...(await s.provider.fetch([{ name: "H", path: "/out/HIDDEN" }], { signal: signal() }))]));
      const wrong = createInfisicalProvider(configFor(fake, { clientSecret: badSecret }));
      providers.push(wrong);
      texts.push(String(await wrong.fetch([{ name: "H", path: "/out/HIDDEN" }], { signal: signal() }).catch((e: Error) => `${e.message} ${e.stack}`)));
      texts.push(JSON.stringify(await wrong.health({ signal: signal() })));
    });
    for (const t of [output, ...texts]) {
      expect(t).not.toContain(value);
      expect(t).not.toContain(badSecret);
      expect(t).not.toContain(fake.clientSecret);
      expect(t).not.toContain("fake-infisical-token-");
    }
    expect(texts.join(" ")).toContain("refused the universal-auth login");
  });
});
