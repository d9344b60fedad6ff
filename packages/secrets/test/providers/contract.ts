// The contract every SecretProvider meets behind createSecretsClient, run against each provider's
// local wire fake: the same cases, the same assertions. A capability the fixture lacks (an env
// variable cannot be throttled) skips the cases that need it.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import { createSecretsClient, SecretsClientError, type NamingRule, type SecretProvider, type SecretsClientOptions } from "../../src/index.js";

export interface ProviderFixture {
  /** A fresh provider under test for each client, since a client closes its provider (a SecretProvider from an entry point, or "env"). */
  provider(): SecretProvider | "env";
  /** Options the client needs besides the provider (env: the variables). */
  clientOptions?: Partial<SecretsClientOptions>;
  /** Stores a value at a provider path (after the naming rule). */
  put(path: string, value: string): void | Promise<void>;
  remove(path: string): void | Promise<void>;
  /** The provider refuses reading this path (its policy). */
  deny?(path: string): void | Promise<void>;
  /** The next n calls are throttled (with the provider's Retry-After when it sends one). */
  throttleNext?(n: number): void | Promise<void>;
  /** The next n calls fail as in an outage (0 heals). */
  breakNext?(n: number): void | Promise<void>;
  /** Puts the provider in a state its health() reports as degraded / unavailable, or back to healthy. */
  healthState?(state: "healthy" | "degraded" | "unavailable"): void | Promise<void>;
  /**
   * The provider's path for a schema name under its documented default naming rule (default: the
   * name as is). Written out by each fixture, not derived from the provider, so the contract checks it.
   */
  pathOf?(name: string): string;
  /** Naming examples valid for this provider, when the defaults below are not (Key Vault allows no '/'). */
  namingExamples?: NamingExamples;
  /** A provider of the same store whose credentials are refused, and the refused credential. */
  badCredentials?(): { provider: SecretProvider; credential: string };
  /**
   * The provider's SDK retries a throttled answer itself and cannot be told not to (@infisical/sdk):
   * the client sees the value, without retries of its own.
   */
  sdkRetriesThrottling?: boolean;
  /** Credentials the fixture configured: none may show in an error or a log line. */
  credentials: readonly string[];
  close(): Promise<void>;
}

/** A template rule and the path it gives API_KEY; a function rule and the path it gives DB_PASSWORD. */
export interface NamingExamples {
  template: { rule: NamingRule; apiKeyPath: string };
  custom: { rule: NamingRule; dbPasswordPath: string };
}

const defaultNamingExamples: NamingExamples = {
  template: { rule: { template: "apps/billing/{name}", case: "kebab" }, apiKeyPath: "apps/billing/api-key" },
  custom: { rule: (n) => `custom/${n.toLowerCase()}`, dbPasswordPath: "custom/db_password" },
};

export type ProviderSetup = (options: { naming?: NamingRule }) => Promise<ProviderFixture>;

const schema = {
  properties: {
    API_KEY: { description: "API key", minLength: 8 },
    DB_PASSWORD: { description: "Database password" },
    SENTRY_DSN: { description: "optional", "x-keyward": { optional: true } },
    PIN: { description: "four digits", pattern: "^[0-9]{4}$" },
  },
} as const;

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

export function describeProviderContract(name: string, setup: ProviderSetup): void {
  describe(`provider contract: ${name}`, () => {
    let fixture: ProviderFixture;
    let isEnv = false;
    let now = 1_000_000;
    const clock = { now: () => now };
    const sleeps: number[] = [];
    /** Every value put and every message seen, to check no value reached a message. */
    const values: string[] = [];
    const texts: string[] = [];
    const logged: string[] = [];

    const put = async (f: ProviderFixture, path: string, value: string) => {
      values.push(value);
      await f.put(path, value);
    };
    /** Stores / removes the value of a schema name at its path under the default naming rule. */
    const putSecret = (name: string, value: string) => put(fixture, fixture.pathOf?.(name) ?? name, value);
    const removeSecret = (name: string) => fixture.remove(fixture.pathOf?.(name) ?? name);
    const clientFor = (f: ProviderFixture, options: Partial<SecretsClientOptions> = {}) =>
      createSecretsClient(schema, {
        provider: f.provider(),
        env: {},
        clock,
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
        retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
        cache: { ttlMs: 60_000, maxStaleMs: 120_000, refreshAheadMs: 0 },
        circuitBreaker: { failureThreshold: 1000, resetAfterMs: 10_000 },
        ...f.clientOptions,
        ...options,
      });
    const failure = async (promise: Promise<unknown>): Promise<SecretsClientError> => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SecretsClientError);
      texts.push((error as Error).message, String((error as Error).stack));
      return error as SecretsClientError;
    };

    beforeAll(async () => {
      for (const method of ["log", "info", "warn", "error", "debug"] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
      }
      fixture = await setup({});
      const probe = fixture.provider();
      isEnv = probe === "env";
      if (probe !== "env") await probe.close();
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await fixture?.close();
    });

    it("serves a value, typed by the schema, and batches getSecrets", async () => {
      const apiKey = unique("key");
      const db = unique("db");
      await putSecret("API_KEY", apiKey);
      await putSecret("DB_PASSWORD", db);
      await putSecret("PIN", "1234");
      const client = clientFor(fixture);
      const value = await client.getSecret("API_KEY");
      expectTypeOf(value).toEqualTypeOf<string>();
      expectTypeOf(await client.getSecret("SENTRY_DSN")).toEqualTypeOf<string | undefined>();
      expect(value).toBe(apiKey);
      expect(await client.getSecrets(["API_KEY", "DB_PASSWORD", "PIN"])).toEqual({ API_KEY: apiKey, DB_PASSWORD: db, PIN: "1234" });
      expect(client.redact(`key=${apiKey}`)).toBe("key=[redacted:API_KEY]");
      expect(await client.registration()).toEqual({ status: "approved" });
      await client.close();
      expect((await failure(client.getSecret("API_KEY"))).reason).toBe("closed");
    });

    it("a missing secret is secret_missing, an absent optional one is undefined", async () => {
      await removeSecret("DB_PASSWORD");
      await removeSecret("SENTRY_DSN");
      const client = clientFor(fixture);
      const error = await failure(client.getSecret("DB_PASSWORD"));
      expect(error).toMatchObject({ reason: "secret_missing", secretName: "DB_PASSWORD" });
      expect(await client.getSecret("SENTRY_DSN")).toBeUndefined();
      await client.close();
    });

    it("a value that breaks the schema's rules is invalid_value, and the message does not hold it", async () => {
      const bad = unique("pin");
      await putSecret("PIN", bad);
      const client = clientFor(fixture);
      const error = await failure(client.getSecret("PIN"));
      expect(error).toMatchObject({ reason: "invalid_value", secretName: "PIN" });
      expect(error.message).not.toContain(bad);
      await putSecret("PIN", "1234");
      await client.close();
    });

    it("a refused secret is access_denied, the others of the batch still come", async (ctx) => {
      if (!fixture.deny) return ctx.skip();
      const db = unique("db");
      await putSecret("DB_PASSWORD", db);
      await putSecret("SENTRY_DSN", unique("dsn"));
      await fixture.deny(fixture.pathOf?.("SENTRY_DSN") ?? "SENTRY_DSN");
      const client = clientFor(fixture);
      const error = await failure(client.getSecret("SENTRY_DSN"));
      expect(error).toMatchObject({ reason: "access_denied", secretName: "SENTRY_DSN" });
      const batch = await failure(client.getSecrets(["DB_PASSWORD", "SENTRY_DSN"]));
      expect(batch.reason).toBe("access_denied");
      expect(await client.getSecret("DB_PASSWORD")).toBe(db);
      await client.close();
    });

    it("a throttled call is retried with backoff and then served", async (ctx) => {
      if (!fixture.throttleNext) return ctx.skip();
      const apiKey = unique("key");
      await putSecret("API_KEY", apiKey);
      const client = clientFor(fixture);
      sleeps.length = 0;
      await fixture.throttleNext(2);
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      if (fixture.sdkRetriesThrottling) {
        // The SDK waited and asked again itself: the client made one call and slept not at all.
        expect(sleeps).toEqual([]);
        await client.close();
        return;
      }
      expect(sleeps).toHaveLength(2);
      // More throttling than attempts: rate_limited, after maxAttempts calls.
      sleeps.length = 0;
      await fixture.throttleNext(3);
      const other = clientFor(fixture);
      const error = await failure(other.getSecret("API_KEY"));
      expect(error).toMatchObject({ reason: "rate_limited", secretName: "API_KEY" });
      expect(sleeps).toHaveLength(2);
      await fixture.throttleNext(0);
      await other.close();
      await client.close();
    });

    it("a 5xx answer is retried with backoff and then served; 5xx past the retries opens the circuit", async (ctx) => {
      if (!fixture.breakNext) return ctx.skip();
      const apiKey = unique("key");
      await putSecret("API_KEY", apiKey);
      sleeps.length = 0;
      const client = clientFor(fixture, { cache: false, circuitBreaker: { failureThreshold: 3, resetAfterMs: 10_000 } });
      await fixture.breakNext(2);
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      expect(sleeps).toHaveLength(2);
      // The success reset the count: three failed attempts in a row (one call, two retries) open it.
      sleeps.length = 0;
      await fixture.breakNext(1000);
      expect(await failure(client.getSecret("API_KEY"))).toMatchObject({ reason: "unavailable", secretName: "API_KEY" });
      expect(sleeps).toHaveLength(2);
      await fixture.breakNext(0);
      sleeps.length = 0;
      expect(await failure(client.getSecret("API_KEY"))).toMatchObject({ reason: "circuit_open", secretName: "API_KEY" });
      expect(sleeps).toEqual([]);
      now += 10_000;
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      await client.close();
    });

    it("refused credentials are unauthenticated, not retried, and named nowhere", async (ctx) => {
      if (!fixture.badCredentials) return ctx.skip();
      const { provider, credential } = fixture.badCredentials();
      const client = clientFor(fixture, { provider });
      sleeps.length = 0;
      const error = await failure(client.getSecret("API_KEY"));
      expect(error).toMatchObject({ reason: "unauthenticated", secretName: "API_KEY" });
      expect(sleeps).toEqual([]);
      const health = await client.health();
      expect(health.status).toBe("unavailable");
      expect(health.reason).toEqual(expect.any(String));
      texts.push(String(health.reason), JSON.stringify(error));
      for (const text of [error.message, String(error.stack), JSON.stringify(error), String(health.reason)]) expect(text).not.toContain(credential);
      values.push(credential);
      await client.close();
    });

    it("a cached value is served within its TTL without asking, the new one after it", async (ctx) => {
      if (isEnv) return ctx.skip(); // the environment is read once, not fetched
      const first = unique("key");
      await putSecret("API_KEY", first);
      const client = clientFor(fixture);
      expect(await client.getSecret("API_KEY")).toBe(first);
      const second = unique("key");
      await putSecret("API_KEY", second);
      now += 30_000;
      expect(await client.getSecret("API_KEY")).toBe(first);
      now += 31_000;
      expect(await client.getSecret("API_KEY")).toBe(second);
      await client.close();
    });

    it("in an outage a cached value is served past its TTL (stale-if-error), until maxStaleMs", async (ctx) => {
      if (!fixture.breakNext) return ctx.skip();
      const apiKey = unique("key");
      await putSecret("API_KEY", apiKey);
      const client = clientFor(fixture);
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      await fixture.breakNext(1000);
      now += 61_000;
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      expect(await client.getSecrets(["API_KEY"])).toEqual({ API_KEY: apiKey });
      now += 120_000;
      const error = await failure(client.getSecret("API_KEY"));
      expect(error).toMatchObject({ reason: "unavailable", secretName: "API_KEY" });
      await fixture.breakNext(0);
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      await client.close();
    });

    it("the circuit opens after consecutive failures, fails fast, and closes after a good trial", async (ctx) => {
      if (!fixture.breakNext) return ctx.skip();
      const apiKey = unique("key");
      await putSecret("API_KEY", apiKey);
      const client = clientFor(fixture, { retry: { maxAttempts: 1 }, cache: false, circuitBreaker: { failureThreshold: 2, resetAfterMs: 10_000 } });
      await fixture.breakNext(1000);
      expect((await failure(client.getSecret("API_KEY"))).reason).toBe("unavailable");
      expect((await failure(client.getSecret("API_KEY"))).reason).toBe("unavailable");
      await fixture.breakNext(0);
      const open = await failure(client.getSecret("API_KEY"));
      expect(open).toMatchObject({ reason: "circuit_open", secretName: "API_KEY" });
      now += 10_000;
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      expect(await client.getSecret("API_KEY")).toBe(apiKey);
      await client.close();
    });

    it("health() reports healthy, degraded and unavailable with a reason", async () => {
      const client = clientFor(fixture);
      expect(await client.health()).toMatchObject({ status: "healthy" });
      if (fixture.healthState) {
        await fixture.healthState("degraded");
        const degraded = await client.health();
        expect(degraded.status).toBe("degraded");
        expect(degraded.reason).toEqual(expect.any(String));
        await fixture.healthState("unavailable");
        const down = await client.health();
        expect(down.status).toBe("unavailable");
        expect(down.reason).toEqual(expect.any(String));
        texts.push(String(degraded.reason), String(down.reason));
        await fixture.healthState("healthy");
        expect((await client.health()).status).toBe("healthy");
      }
      await client.close();
      expect((await client.health()).status).toBe("unavailable");
    });

    it("maps names to paths by the naming rule: a template with a case, or a function", async (ctx) => {
      if (isEnv) return ctx.skip();
      const examples = fixture.namingExamples ?? defaultNamingExamples;
      const templated = await setup({ naming: examples.template.rule });
      const apiKey = unique("key");
      await put(templated, examples.template.apiKeyPath, apiKey);
      const a = clientFor(templated);
      expect(await a.getSecret("API_KEY")).toBe(apiKey);
      await a.close();
      await templated.close();

      const custom = await setup({ naming: examples.custom.rule });
      const db = unique("db");
      await put(custom, examples.custom.dbPasswordPath, db);
      const b = clientFor(custom);
      expect(await b.getSecret("DB_PASSWORD")).toBe(db);
      expect((await failure(b.getSecret("API_KEY"))).reason).toBe("secret_missing");
      await b.close();
      await custom.close();
    });

    it("close() closes the provider once; the client then refuses calls and reports unavailable", async () => {
      const provider = fixture.provider();
      const client = clientFor(fixture, { provider });
      const spy = provider === "env" ? undefined : vi.spyOn(provider, "close");
      await client.close();
      await client.close();
      if (spy) expect(spy).toHaveBeenCalledTimes(1);
      spy?.mockRestore();
      expect(await failure(client.getSecrets(["API_KEY"]))).toMatchObject({ reason: "closed" });
      expect(await client.health()).toMatchObject({ status: "unavailable", reason: "the client is closed" });
    });

    it("no value and no credential reached an error, a health reason or a log line", () => {
      expect(texts.length).toBeGreaterThan(3);
      const all = [...texts, ...logged].join("\n");
      for (const value of [...values, ...fixture.credentials]) expect(all).not.toContain(value);
    });
  });
}
