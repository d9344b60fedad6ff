// Cache, refresh-ahead, stale-if-error, retries and the circuit breaker against a real Keyward
// gRPC server that is stopped and started again on the same port mid-test. The client's clock is
// a manual one, so TTLs and the breaker's reset move only when the test says.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSecretsClient, createServiceToken, SecretsClientError, type SecretsClientOptions } from "../../src/index.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";
import { errorOf } from "../support/errors.js";

const schema = { properties: { API_KEY: { description: "API key", minLength: 8 } } } as const;
const SERVICE = "checkout";
const v1 = "v1-" + randomBytes(8).toString("hex");
const v2 = "v2-" + randomBytes(8).toString("hex");
let server: KeywardTestServer;
let token: string;
let now = 1_000_000;
const clock = { now: () => now };

const clientWith = (options: Partial<SecretsClientOptions>) =>
  createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, clock, timeoutMs: 3000, ...options });

beforeAll(async () => {
  server = await startKeywardServer();
  token = createServiceToken();
  const setup = clientWith({});
  expect(await setup.register()).toBe("pending");
  await setup.close();
  await server.approveToken(token);
  await server.setValue("API_KEY", v1);
  await server.setAccess("API_KEY", SERVICE, "grant");
});
afterAll(async () => {
  await server?.close();
});

describe("cache, refresh-ahead and stale-if-error across a server restart", () => {
  it("serves within the TTL without calls, refreshes ahead of expiry, serves stale while down, and recovers", async () => {
    const client = clientWith({
      cache: { ttlMs: 60_000, maxStaleMs: 120_000, refreshAheadMs: 10_000 },
      retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 },
      // Kept out of the way here; it has its own test below.
      circuitBreaker: { failureThreshold: 1000 },
    });
    const reads0 = await server.auditedReads();
    expect(await client.getSecret("API_KEY")).toBe(v1);
    expect(await client.getSecret("API_KEY")).toBe(v1);
    expect(await server.auditedReads()).toBe(reads0 + 1);

    // A new version on the server is not seen while the cached one is fresh…
    await server.setValue("API_KEY", v2);
    now += 49_999;
    expect(await client.getSecret("API_KEY")).toBe(v1);
    expect(await server.auditedReads()).toBe(reads0 + 1);

    // …until a read within refreshAheadMs of expiry: it still answers from the cache at once, and
    // refreshes in the background, so the new version arrives before the old one expires.
    now += 2;
    expect(await client.getSecret("API_KEY")).toBe(v1);
    await vi.waitFor(async () => expect(await client.getSecret("API_KEY")).toBe(v2), { timeout: 10_000, interval: 20 });
    expect(await server.auditedReads()).toBe(reads0 + 2);

    // The service goes down. Past the TTL but within maxStaleMs, the last value is served.
    await server.stop();
    now += 60_000;
    expect(await client.getSecret("API_KEY")).toBe(v2);
    expect(await client.getSecrets()).toEqual({ API_KEY: v2 });

    // Past maxStaleMs, the failure surfaces: unavailable, naming the secret.
    now += 120_000;
    const down = await errorOf(client.getSecret("API_KEY"));
    expect(down).toMatchObject({ reason: "unavailable", secretName: "API_KEY" });
    expect(down.message).not.toContain(token);

    // Back on the same port: the client reconnects and fetches again.
    await server.start();
    await server.setValue("API_KEY", v1);
    await vi.waitFor(async () => expect(await client.getSecret("API_KEY")).toBe(v1), { timeout: 15_000, interval: 100 });
    await client.close();
  });
});

describe("retries", () => {
  it("retries UNAVAILABLE with jittered exponential backoff until the restarted server answers", async () => {
    const client = clientWith({ cache: false, retry: { maxAttempts: 50, baseMs: 100, maxMs: 400 }, circuitBreaker: { failureThreshold: 1000 }, random: () => 0.5 });
    expect(await client.getSecret("API_KEY")).toBe(v1);
    await server.stop();
    const waits: number[] = [];
    const retrying = createSecretsClient(schema, {
      url: server.address,
      token,
      serviceName: SERVICE,
      env: {},
      clock,
      cache: false,
      circuitBreaker: { failureThreshold: 1000 },
      retry: { maxAttempts: 50, baseMs: 100, maxMs: 400 },
      random: () => 0.5,
      // The first backoff is when the service comes back; later ones really wait (a few ms).
      sleep: async (ms) => {
        waits.push(ms);
        if (!server.running) await server.start();
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    expect(await retrying.getSecret("API_KEY")).toBe(v1);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    // Full jitter with random() = 0.5: half of min(maxMs, baseMs·2^retry).
    expect(waits).toEqual([50, 100, ...Array<number>(48).fill(200)].slice(0, waits.length));
    await retrying.close();
    await client.close();
  });

  it("does not retry a refusal (PERMISSION_DENIED)", async () => {
    const waits: number[] = [];
    const client = clientWith({ cache: false, retry: { maxAttempts: 5, baseMs: 1, maxMs: 1 }, sleep: async (ms) => void waits.push(ms) });
    await server.setAccess("API_KEY", SERVICE, "deny");
    const reads0 = await server.auditedReads();
    expect(await errorOf(client.getSecret("API_KEY"))).toMatchObject({ reason: "access_denied" });
    expect(waits).toEqual([]);
    expect(await server.auditedReads()).toBe(reads0 + 1);
    await server.setAccess("API_KEY", SERVICE, "grant");
    await client.close();
  });
});

describe("circuit breaker against a stopped server", () => {
  it("opens after consecutive failures, fails fast while open even once the server is back, and closes after a good trial", async () => {
    const client = clientWith({ cache: false, retry: { maxAttempts: 1 }, circuitBreaker: { failureThreshold: 3, resetAfterMs: 30_000 } });
    expect(await client.getSecret("API_KEY")).toBe(v1);
    await server.stop();
    for (let i = 0; i < 3; i++) expect(await errorOf(client.getSecret("API_KEY"))).toMatchObject({ reason: "unavailable" });
    const open = await errorOf(client.getSecret("API_KEY"));
    expect(open).toMatchObject({ reason: "circuit_open", secretName: "API_KEY", grpcCode: undefined });

    // The server is back, but the circuit stays open until resetAfterMs has passed: no call is made.
    await server.start();
    const reads0 = await server.auditedReads();
    expect(await errorOf(client.getSecret("API_KEY"))).toMatchObject({ reason: "circuit_open" });
    expect(await server.auditedReads()).toBe(reads0);

    // Each reset period lets one trial through; once the channel has reconnected a trial succeeds
    // and the circuit closes.
    await vi.waitFor(
      async () => {
        now += 30_000;
        expect(await client.getSecret("API_KEY")).toBe(v1);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(await client.getSecret("API_KEY")).toBe(v1);
    expect(await client.getSecret("API_KEY")).toBe(v1);
    await client.close();
  });

  it("serves a cached value while the circuit is open (stale-if-error)", async () => {
    const client = clientWith({ cache: { ttlMs: 1_000, maxStaleMs: 600_000, refreshAheadMs: 0 }, retry: { maxAttempts: 1 }, circuitBreaker: { failureThreshold: 1, resetAfterMs: 1_000_000 } });
    expect(await client.getSecret("API_KEY")).toBe(v1);
    await server.stop();
    now += 5_000;
    expect(await client.getSecret("API_KEY")).toBe(v1); // unavailable → opens the circuit, served stale
    expect(await client.getSecret("API_KEY")).toBe(v1); // circuit_open → served stale
    await server.start();
    await client.close();
  });
});
