// Issue #12: two replicas on one PostgreSQL. Replica A reaches it through a proxy that can blackhole
// A's LISTEN connection without closing it (as a NAT or firewall idle timeout would). Every admin
// change made on replica B (a revoked token, a revoked grant, a new value, a disabled secret) is
// seen by both replicas within the bound, and A is not ready while its listener is dead.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { credentials, makeClientConstructor, Metadata, type Client, type ServiceError } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { startListenBlackholeProxy, type ListenBlackholeProxy } from "@keyward/db/testing";
import { REASON_TRAILER } from "@keyward/grpc";
import { ChangeKind, SecretsServiceClient, type GetSecretResponse, type WatchSecretsResponse } from "@keyward/proto";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSecretsService, type RunningService } from "../src/index.js";
import { adminApi, freshPostgresUrl, tmpDir } from "./helpers.js";

const HEARTBEAT_MS = 300;
const MAX_AGE_MS = 2_000;
/** What the test allows for "seen within the bound": the bound plus generous slack for a loaded machine. */
const BOUND_MS = Math.max(MAX_AGE_MS, 2 * HEARTBEAT_MS) + 8_000;

type HealthClient = Client & { check(req: { service: string }, cb: (err: ServiceError | null, res?: { status: string }) => void): void };
interface Replica {
  service: RunningService;
  secrets: SecretsServiceClient;
  health: HealthClient;
}

let proxy: ListenBlackholeProxy;
let a: Replica;
let b: Replica;

async function startReplica(databaseUrl: string, shared: NodeJS.ProcessEnv): Promise<Replica> {
  const service = await startSecretsService({
    env: { ...shared, KEYWARD_CHANGES_HEARTBEAT_MS: String(HEARTBEAT_MS), KEYWARD_CACHE_MAX_AGE_MS: String(MAX_AGE_MS), KEYWARD_LOG_LEVEL: "silent" },
    dataDir: path.join(tmpDir("kw-replica-"), "data"),
    databaseUrl,
    grpcPort: 0,
    httpPort: 0,
  });
  const Health = makeClientConstructor(healthService as never, "grpc.health.v1.Health");
  return {
    service,
    secrets: new SecretsServiceClient(service.grpcAddress, credentials.createInsecure()),
    health: new Health(service.grpcAddress, credentials.createInsecure()) as unknown as HealthClient,
  };
}

beforeAll(async () => {
  const url = await freshPostgresUrl();
  const shared = { KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
  b = await startReplica(url, shared);
  proxy = await startListenBlackholeProxy(url);
  // All of A's connections go through the proxy; only its LISTEN connection can be cut.
  a = await startReplica(proxy.url, shared);
}, 120_000);
afterAll(async () => {
  for (const r of [a, b]) {
    r?.secrets.close();
    r?.health.close();
    await r?.service.close();
  }
  await proxy?.close();
});

const bearer = (token: string) => {
  const md = new Metadata();
  md.set("authorization", `Bearer ${token}`);
  return md;
};
type Answer = { value?: string; version?: number; reason?: string };
const read = (r: Replica, name: string, token: string) =>
  new Promise<Answer>((resolve) =>
    r.secrets.getSecret({ name, description: "test" }, bearer(token), (err: ServiceError | null, res?: GetSecretResponse) =>
      resolve(err ? { reason: String(err.metadata.get(REASON_TRAILER)[0]) } : { value: res!.value, version: res!.version }),
    ),
  );
const register = (r: Replica, token: string, serviceName: string) =>
  new Promise<void>((resolve, reject) => r.secrets.registerToken({ serviceName, serviceVersion: "1", environment: "" }, bearer(token), (err: ServiceError | null) => (err ? reject(err) : resolve())));
const healthOf = (r: Replica) => new Promise<string | undefined>((resolve) => r.health.check({ service: "" }, (_e, res) => resolve(res?.status)));
const readiness = async (r: Replica) => {
  const res = await fetch(`${r.service.adminUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
};

/** Polls until `check` holds, for at most BOUND_MS; returns the last thing seen, for the assertion. */
async function within<T>(probe: () => Promise<T>, check: (t: T) => boolean): Promise<T> {
  const deadline = performance.now() + BOUND_MS;
  let last = await probe();
  while (!check(last) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

describe("two replicas, one with a blackholed LISTEN connection", () => {
  it("see a revoked token, a revoked grant, a new value and a disabled secret within the bound; A is not ready until its listener is back", async () => {
    const admin = adminApi(b.service.adminUrl, b.service.bootstrapToken!);
    // Two services: "reader" reads three secrets; "holder" has its token revoked.
    const reader = generateToken(SERVICE_TOKEN_PREFIX);
    const holder = generateToken(SERVICE_TOKEN_PREFIX);
    await register(b, reader, "reader");
    await register(b, holder, "holder");
    for (const t of (await admin("GET", "/api/service-tokens?status=pending")).items) await admin("POST", `/api/service-tokens/${t.id}/approve`);
    for (const name of ["LOSS_VALUE", "LOSS_GRANT", "LOSS_OFF"]) await admin("POST", "/api/secrets", { name, description: "test", value: `${name}-v1` });
    // Asking creates the access requests; approve them all.
    for (const [token, name] of [[reader, "LOSS_VALUE"], [reader, "LOSS_GRANT"], [reader, "LOSS_OFF"], [holder, "LOSS_VALUE"]] as const) await read(b, name, token);
    const requests = (await admin("GET", "/api/access-requests?status=pending")).items as { id: string; secretName: string; serviceName: string }[];
    expect(requests).toHaveLength(4);
    for (const r of requests) await admin("POST", `/api/access-requests/${r.id}/approve`);

    // Both replicas now hold every answer in memory.
    const reads = [
      [reader, "LOSS_VALUE"],
      [reader, "LOSS_GRANT"],
      [reader, "LOSS_OFF"],
      [holder, "LOSS_VALUE"],
    ] as const;
    for (const r of [a, b]) {
      const answers = await Promise.all(reads.map(([token, name]) => read(r, name, token)));
      expect(answers.map((x) => x.value)).toEqual(["LOSS_VALUE-v1", "LOSS_GRANT-v1", "LOSS_OFF-v1", "LOSS_VALUE-v1"]);
      expect(await healthOf(r)).toBe("SERVING");
      expect(await readiness(r)).toEqual({ status: 200, body: { status: "ready", checks: { database: "ok", changes: "ok" } } });
    }
    expect(proxy.listeners).toBe(1);

    // A's LISTEN connection stops passing traffic; nothing tells A. The four changes go through B.
    proxy.blackhole();
    const holderId = (await admin("GET", "/api/service-tokens?status=approved")).items.find((t: { serviceName: string }) => t.serviceName === "holder").id;
    await admin("POST", `/api/service-tokens/${holderId}/revoke`);
    await admin("POST", `/api/access-requests/${requests.find((r) => r.secretName === "LOSS_GRANT")!.id}/revoke`);
    await admin("PUT", "/api/secrets/LOSS_VALUE/value", { value: "LOSS_VALUE-v2" });
    await admin("POST", "/api/secrets/LOSS_OFF/disable");

    for (const r of [a, b]) {
      const [value, grant, disabled, token] = await Promise.all([
        within(() => read(r, "LOSS_VALUE", reader), (x) => x.version === 2),
        within(() => read(r, "LOSS_GRANT", reader), (x) => x.reason !== undefined),
        within(() => read(r, "LOSS_OFF", reader), (x) => x.reason !== undefined),
        within(() => read(r, "LOSS_VALUE", holder), (x) => x.reason !== undefined),
      ]);
      expect(value).toEqual({ value: "LOSS_VALUE-v2", version: 2 });
      expect(grant).toEqual({ reason: "access_revoked" });
      expect(disabled).toEqual({ reason: "secret_disabled" });
      expect(token).toEqual({ reason: "token_revoked" });
    }

    // A found its listener dead: not ready, NOT_SERVING, while B stays ready.
    expect(await within(() => readiness(a), (x) => x.status === 503)).toEqual({ status: 503, body: { status: "not_ready", checks: { database: "ok", changes: "reconnecting" } } });
    expect(await healthOf(a)).toBe("NOT_SERVING");
    expect((await readiness(b)).status).toBe(200);
    expect(await healthOf(b)).toBe("SERVING");

    // Traffic passes again: A reconnects (a new LISTEN connection), is ready and hears changes again.
    proxy.release();
    expect(await within(() => readiness(a), (x) => x.status === 200)).toEqual({ status: 200, body: { status: "ready", checks: { database: "ok", changes: "ok" } } });
    expect(await healthOf(a)).toBe("SERVING");
    expect(proxy.listeners).toBeGreaterThan(1);
    const stream = a.secrets.watchSecrets({ names: ["LOSS_VALUE"] }, bearer(reader));
    const heard = new Promise<WatchSecretsResponse>((resolve) => stream.once("data", resolve));
    stream.on("error", () => undefined);
    await new Promise<void>((resolve) => stream.once("metadata", () => resolve()));
    await admin("PUT", "/api/secrets/LOSS_VALUE/value", { value: "LOSS_VALUE-v3" });
    expect(await heard).toEqual({ name: "LOSS_VALUE", version: 3, kind: ChangeKind.CHANGE_KIND_VALUE_SET });
    stream.cancel();
    expect(await read(a, "LOSS_VALUE", reader)).toEqual({ value: "LOSS_VALUE-v3", version: 3 });
  });
});
