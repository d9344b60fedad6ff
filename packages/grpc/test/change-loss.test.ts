// The listening connection silently stops passing traffic (a NAT or firewall that forgot it): the
// server finds out by its heartbeat, stops caching, ends and refuses watches, reports NOT_SERVING,
// and is back to normal once the connection is.
import { credentials, makeClientConstructor, status, type Client, type Metadata, type ServiceError } from "@grpc/grpc-js";
import { connectPostgres, setSecretValue } from "@keyward/db";
import { startListenBlackholeProxy, type ListenBlackholeProxy } from "@keyward/db/testing";
import { ChangeKind, type GetSecretRequest, type GetSecretResponse, type WatchSecretsResponse } from "@keyward/proto";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, eventually, freshPostgresUrl, secretFor, startTestServer, tokenWithStatus, unary, type TestServer , environmentId } from "./harness.js";

let proxy: ListenBlackholeProxy;
let t: TestServer;
let health: Client & { check(req: { service: string }, cb: (err: ServiceError | null, res?: { status: string }) => void): void };

beforeAll(async () => {
  const url = await freshPostgresUrl();
  proxy = await startListenBlackholeProxy(url);
  // Every connection goes through the proxy; only the listening one can be cut.
  t = await startTestServer(connectPostgres(proxy.url, { max: 4 }), { changesHeartbeatMs: 300 });
  const Health = makeClientConstructor(healthService as never, "grpc.health.v1.Health");
  health = new Health(t.address, credentials.createInsecure()) as unknown as typeof health;
});
afterAll(async () => {
  health?.close();
  await t?.close();
  await proxy?.close();
});

const getSecret = (name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test" }, md);
const serving = () => new Promise<string | undefined>((resolve) => health.check({ service: "keyward.secrets.v1.SecretsService" }, (_err, res) => resolve(res?.status)));

/** Opens a watch and resolves once it is live (headers) or refused. */
function watch(md: Metadata) {
  const stream = t.client.watchSecrets({ names: [] }, md);
  const data: WatchSecretsResponse[] = [];
  stream.on("data", (d: WatchSecretsResponse) => data.push(d));
  const ended = new Promise<ServiceError>((resolve) => stream.on("error", resolve));
  const live = Promise.race([new Promise<"live">((resolve) => stream.once("metadata", () => resolve("live"))), ended]);
  return { stream, data, ended, live };
}

describe("a silent listening connection", () => {
  it("turns caching off, ends and refuses watches and reports NOT_SERVING until it is back", async () => {
    const svc = "loss-svc";
    const { token } = await tokenWithStatus(t.kdb.db, svc, "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "LOSS", serviceName: svc, value: "v1", access: "granted" });
    const md = bearer(token);
    expect((await getSecret("LOSS", md)).res).toMatchObject({ value: "v1" });
    expect(await serving()).toBe("SERVING");
    expect(t.server.changeFeed()).toBe("live");
    const before = watch(md);
    expect(await before.live).toBe("live");

    proxy.blackhole();
    // Found by the heartbeat alone (nothing closes the socket): the open watch ends UNAVAILABLE.
    expect((await before.ended).code).toBe(status.UNAVAILABLE);
    expect(t.server.changeFeed()).toBe("reconnecting");
    expect(await serving()).toBe("NOT_SERVING");

    // Nothing is cached meanwhile: each change is read at once, though no notification can arrive.
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "LOSS", value: "v2", actor: "admin", at: new Date() });
    expect((await getSecret("LOSS", md)).res).toMatchObject({ value: "v2", version: 2 });
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "LOSS", value: "v3", actor: "admin", at: new Date() });
    expect((await getSecret("LOSS", md)).res).toMatchObject({ value: "v3", version: 3 });
    // A new watch could not be told of changes: refused until the feed is back.
    const refused = await watch(md).live;
    expect(refused).toMatchObject({ code: status.UNAVAILABLE });

    proxy.release();
    await eventually(async () => (await serving()) === "SERVING", 400);
    expect(t.server.changeFeed()).toBe("live");
    const after = watch(md);
    expect(await after.live).toBe("live");
    // Notifications flow again: the watch hears of a change, and the replica serves it.
    expect((await getSecret("LOSS", md)).res).toMatchObject({ value: "v3" });
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "LOSS", value: "v4", actor: "admin", at: new Date() });
    await eventually(() => after.data.length > 0);
    expect(after.data).toEqual([{ name: "LOSS", version: 4, kind: ChangeKind.CHANGE_KIND_VALUE_SET }]);
    expect((await getSecret("LOSS", md)).res).toMatchObject({ value: "v4", version: 4 });
    after.stream.cancel();
  });
});
