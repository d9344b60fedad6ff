// A provider's Retry-After is waited at least, but never longer than retry.maxMs: a Vault that
// answers 429 with Retry-After: 86400 must not stall getSecret for a day. A real HTTP server on
// loopback answers every request with the throttling; the client's sleep records the waits.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, type SecretsClientOptions } from "../../src/index.js";
import { vault } from "../../src/providers/vault/index.js";
import { errorOf } from "../support/errors.js";

const TOKEN = "hvs.throttled-token-never-shown";
let server: http.Server;
let address = "";
let answer = { status: 429, retryAfter: "86400" };
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    hits++;
    res.statusCode = answer.status;
    res.setHeader("retry-after", answer.retryAfter);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ errors: ["rate limited"] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const schema = { properties: { API_KEY: { description: "API key" } } } as const;
const run = async (retry: SecretsClientOptions["retry"]) => {
  const sleeps: number[] = [];
  hits = 0;
  const client = createSecretsClient(schema, {
    provider: vault({ address, auth: { method: "token", token: TOKEN } }),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    cache: false,
    ...(retry === undefined ? {} : { retry }),
  });
  const error = await errorOf(client.getSecret("API_KEY"));
  await client.close();
  return { sleeps, error };
};

describe("Retry-After is capped at retry.maxMs", () => {
  it("429 with Retry-After: 86400 waits retry.maxMs (default 2 s) per retry, then rate_limited", async () => {
    answer = { status: 429, retryAfter: "86400" };
    const { sleeps, error } = await run(undefined);
    expect(sleeps).toEqual([2000, 2000]);
    expect(hits).toBe(3);
    expect(error.reason).toBe("rate_limited");
    expect(error.message).not.toContain(TOKEN);
  });

  it("the cap follows the configured retry.maxMs, for a 503 and an HTTP-date too", async () => {
    answer = { status: 503, retryAfter: new Date(Date.now() + 86_400_000).toUTCString() };
    const { sleeps, error } = await run({ maxAttempts: 4, baseMs: 10, maxMs: 750 });
    expect(sleeps).toEqual([750, 750, 750]);
    expect(error.reason).toBe("unavailable");
    expect(error.message).not.toContain(TOKEN);
  });

  it("a Retry-After under retry.maxMs is still waited in full", async () => {
    answer = { status: 429, retryAfter: "1" };
    const { sleeps } = await run({ maxAttempts: 2, baseMs: 10, maxMs: 5000 });
    expect(sleeps).toEqual([1000]);
  });
});
