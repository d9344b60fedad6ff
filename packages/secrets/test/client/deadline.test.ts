// The per-call deadline, against a service that accepts TCP connections and never answers (a
// hung process or a black-holing proxy): each call gives up after timeoutMs and is retried.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, type SecretsClientError } from "../../src/index.js";

const schema = { properties: { API_KEY: { description: "API key" } } } as const;
let blackHole: net.Server;
const sockets = new Set<net.Socket>();
let address: string;

beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});

describe("per-call deadline", () => {
  it("ends each call after timeoutMs with deadline_exceeded, retrying it with backoff", async () => {
    const waits: number[] = [];
    const client = createSecretsClient(schema, {
      url: address,
      token: createServiceToken(),
      serviceName: "hung",
      env: {},
      timeoutMs: 200,
      retry: { maxAttempts: 3, baseMs: 10, maxMs: 10 },
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
    });
    const error = (await client.getSecret("API_KEY").catch((e: unknown) => e)) as SecretsClientError;
    expect(error).toMatchObject({ reason: "deadline_exceeded", secretName: "API_KEY" });
    expect(error.message).toMatch(/^cannot fetch secret API_KEY: deadline_exceeded: /);
    expect(waits).toEqual([5, 5]);
    await client.close();
  });
});
