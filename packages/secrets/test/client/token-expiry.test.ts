// Token expiry as the client sees it through RegisterToken, against the real Keyward gRPC server:
// register()/registration() report "expired" with the expiry, and waitForApproval fails fast with
// token_expired instead of waiting for an approval that cannot come.
import { hashToken, type Clock } from "@keyward/common";
import { getServiceTokenByHash } from "@keyward/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSecretsClient, createServiceToken, SecretsClientError, type SecretsClient } from "../../src/index.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";
import { errorOf } from "../support/errors.js";

const schema = { properties: { REGION: { description: "Region" } } } as const;
const HOUR = 60 * 60 * 1000;
/** Whole seconds, so the expiry survives the database and the wire unchanged. */
const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** The server's clock: the system time moved by `offsetMs`. */
const clock: Clock & { offsetMs: number } = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
let server: KeywardTestServer;
const clients: SecretsClient<typeof schema>[] = [];

/** A client with a new token, registered (pending); `slept` records every poll's sleep. */
async function newClient(serviceName: string) {
  const token = createServiceToken();
  const slept: number[] = [];
  const client = createSecretsClient(schema, { url: server.address, token, serviceName, env: {}, retry: { maxAttempts: 1 }, sleep: async (ms) => void slept.push(ms) });
  clients.push(client);
  expect(await client.register()).toBe("pending");
  return { client, token, slept };
}

beforeAll(async () => {
  server = await startKeywardServer({ clock });
});
afterEach(() => {
  clock.offsetMs = 0;
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await server?.close();
});

describe("token expiry through RegisterToken", () => {
  it("reports an approved token's expiry, and none for a token without one or a pending one", async () => {
    const { client, token } = await newClient("exp-approved");
    expect(await client.registration()).toEqual({ status: "pending" });
    const expiresAt = at(Date.now() + HOUR);
    await server.setTokenExpiry(token, expiresAt);
    expect(await client.register()).toBe("approved");
    expect(await client.registration()).toEqual({ status: "approved", expiresAt });
    expect(await client.waitForApproval({ timeoutMs: 0 })).toEqual({ status: "approved", expiresAt });
    await server.setTokenExpiry(token, null);
    expect(await client.registration()).toEqual({ status: "approved" });
    expect(await client.waitForApproval({ timeoutMs: 0 })).toEqual({ status: "approved" });
  });

  it("reports an expired token as expired; waitForApproval fails at once with token_expired, and the token stays as it is", async () => {
    const { client, token, slept } = await newClient("exp-expired");
    const expiresAt = at(Date.now() - 60_000);
    await server.setTokenExpiry(token, expiresAt);
    const before = await getServiceTokenByHash(server.kdb.db, hashToken(token));

    expect(await client.register()).toBe("expired");
    expect(await client.registration()).toEqual({ status: "expired", expiresAt });
    const err = await errorOf(client.waitForApproval({ timeoutMs: 60_000, pollMs: 1000 }));
    expect(err).toBeInstanceOf(SecretsClientError);
    expect(err).toMatchObject({ reason: "token_expired", secretName: undefined });
    expect(err.message).toBe(
      `the service token of exp-expired expired at ${expiresAt.toISOString()}; an admin must extend it (approve it again with a later expiry: POST /api/service-tokens/{id}/approve) or issue a new token`,
    );
    expect(err.message).not.toContain(token);
    // Failed fast: no poll waited.
    expect(slept).toEqual([]);
    // Registering did not reset the token to pending (or anything else).
    expect(await getServiceTokenByHash(server.kdb.db, hashToken(token))).toEqual(before);
    expect(server.logs()).not.toContain(token);
  });

  it("follows the server's clock past the expiry, and an admin's extension lets waitForApproval succeed again", async () => {
    const { client, token } = await newClient("exp-clock");
    const expiresAt = at(Date.now() + HOUR);
    await server.setTokenExpiry(token, expiresAt);
    expect(await client.waitForApproval({ timeoutMs: 0 })).toEqual({ status: "approved", expiresAt });

    clock.offsetMs = 2 * HOUR;
    expect(await client.registration()).toEqual({ status: "expired", expiresAt });
    expect(await errorOf(client.waitForApproval({ timeoutMs: 0 }))).toMatchObject({ reason: "token_expired" });
    expect(await errorOf(client.getSecret("REGION"))).toMatchObject({ reason: "token_expired" });

    const extended = at(Date.now() + 3 * HOUR);
    await server.setTokenExpiry(token, extended);
    expect(await client.waitForApproval({ timeoutMs: 0 })).toEqual({ status: "approved", expiresAt: extended });
  });

  it("a revoked token stays revoked, not expired, whatever its expiry", async () => {
    const { client, token } = await newClient("exp-revoked");
    await server.setTokenExpiry(token, at(Date.now() - 60_000));
    await server.revokeToken(token);
    expect(await client.registration()).toEqual({ status: "revoked" });
    expect(await errorOf(client.waitForApproval({ timeoutMs: 0 }))).toMatchObject({ reason: "token_revoked" });
  });
});
