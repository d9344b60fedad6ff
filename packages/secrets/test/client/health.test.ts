// health() of the "keyward" client against a real Keyward gRPC server: the service's
// grpc.health.v1 status, then the token's status.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSecretsClient, createServiceToken } from "../../src/index.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";

const schema = { properties: { API_KEY: { description: "API key" } } } as const;
let server: KeywardTestServer;
beforeAll(async () => {
  server = await startKeywardServer();
});
afterAll(async () => {
  await server?.close();
});

describe('health() with provider "keyward"', () => {
  it("is degraded while the token is pending, healthy once approved, unavailable when revoked or the service is down", async () => {
    const token = createServiceToken();
    const client = createSecretsClient(schema, { url: server.address, token, serviceName: "health-check", env: {}, timeoutMs: 3000 });
    expect(await client.health()).toEqual({ status: "degraded", reason: "the service token of health-check is pending approval" });
    await server.approveToken(token);
    expect(await client.health()).toEqual({ status: "healthy" });
    await server.stop();
    expect(await client.health()).toEqual({ status: "unavailable", reason: `Keyward at ${server.address} cannot be reached` });
    await server.start();
    await server.revokeToken(token);
    // The channel reconnects with backoff after the restart.
    const revoked = await vi.waitFor(
      async () => {
        const health = await client.health();
        expect(health).toEqual({ status: "unavailable", reason: "the service token of health-check was revoked" });
        return health;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(JSON.stringify(revoked)).not.toContain(token);
    await client.close();
    expect(await client.health()).toEqual({ status: "unavailable", reason: "the client is closed" });
  });
});
