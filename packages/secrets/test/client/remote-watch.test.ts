// watch: true against a real server: a change on the service drops the cached value long before its
// TTL, and watching resumes after the server restarts on the same port.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSecretsClient, createServiceToken, type SecretsClientError } from "../../src/index.js";
import { startKeywardServer, type KeywardTestServer } from "../support/keyward-server.js";

const schema = { properties: { API_KEY: { description: "API key" }, OTHER_KEY: { description: "Other" } } } as const;
const SERVICE = "watcher";
let server: KeywardTestServer;
let token: string;

/** Subscriptions the service has accepted: it audits one before it tells the client it is live. */
const liveWatches = async () =>
  Number(
    (
      await server.kdb.db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("action", "=", "secret.watch")
        .where("result", "=", "ok")
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  server = await startKeywardServer();
  token = createServiceToken();
  const setup = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {} });
  await setup.register();
  await setup.close();
  await server.approveToken(token);
  for (const name of ["API_KEY", "OTHER_KEY"]) {
    await server.setValue(name, `${name}-v1`);
    await server.setAccess(name, SERVICE, "grant");
  }
});
afterAll(async () => {
  await server?.close();
});

describe("watch: true", () => {
  it("drops cached values when they change on the service, and keeps watching across a restart", async () => {
    // An hour-long TTL on a frozen clock: only the watch can make the client fetch again.
    const client = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, watch: true, cache: { ttlMs: 3_600_000 }, clock: { now: () => 0 } });
    expect(await client.getSecrets()).toEqual({ API_KEY: "API_KEY-v1", OTHER_KEY: "OTHER_KEY-v1" });
    await vi.waitFor(async () => expect(await liveWatches()).toBe(1), { timeout: 10_000 });
    const reads0 = await server.auditedReads();

    await server.setValue("API_KEY", "API_KEY-v2");
    await vi.waitFor(async () => expect(await client.getSecret("API_KEY")).toBe("API_KEY-v2"), { timeout: 10_000, interval: 20 });
    // The untouched secret is still served from the cache.
    expect(await client.getSecret("OTHER_KEY")).toBe("OTHER_KEY-v1");
    expect(await server.auditedReads()).toBe(reads0 + 1);

    // Revoked access drops the value, so it is not served again without asking.
    await server.setAccess("OTHER_KEY", SERVICE, "revoke");
    await vi.waitFor(async () => expect(((await client.getSecret("OTHER_KEY").catch((e: unknown) => e)) as SecretsClientError).reason).toBe("access_revoked"), { timeout: 10_000, interval: 20 });
    await server.setAccess("OTHER_KEY", SERVICE, "grant");

    // The server restarts on the same port; the client watches again and changes reach it.
    await server.stop();
    await server.start();
    await vi.waitFor(async () => expect(await liveWatches()).toBe(2), { timeout: 15_000, interval: 50 });
    await server.setValue("API_KEY", "API_KEY-v3");
    await vi.waitFor(async () => expect(await client.getSecret("API_KEY")).toBe("API_KEY-v3"), { timeout: 10_000, interval: 20 });
    await client.close();
  });

  it("tells onChange the name (never the value) of a secret that changed, and onResubscribed when watching resumes after a gap", async () => {
    const changed: string[] = [];
    let resubscribed = 0;
    const before = await liveWatches();
    const client = createSecretsClient(schema, { url: server.address, token, serviceName: SERVICE, env: {}, watch: true, cache: false, onChange: (name) => changed.push(name), onResubscribed: () => resubscribed++ });
    await client.getSecrets();
    await vi.waitFor(async () => expect(await liveWatches()).toBe(before + 1), { timeout: 10_000, interval: 50 });
    await server.setValue("OTHER_KEY", "OTHER_KEY-next");
    await vi.waitFor(() => expect(changed).toEqual(["OTHER_KEY"]), { timeout: 10_000, interval: 20 });
    expect(resubscribed).toBe(0);
    await server.stop();
    await server.start();
    await vi.waitFor(() => expect(resubscribed).toBe(1), { timeout: 15_000, interval: 50 });
    await client.close();
  });
});
