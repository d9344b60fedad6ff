import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIT_LOCK, connectPostgres, verifyAuditChain } from "@keyward/db";
import { findUnauditedChanges } from "@keyward/db/testing";
import { createSecretsClient } from "@keyward/secrets";
import { adminApi, baseEnv, freshPostgresUrl, startCli, tmpDir, type RunningCli } from "./helpers.js";

// Issue #12 §8: every state change commits with its audit row, or neither does. The test holds the
// audit chain's advisory lock, so each change's audit row must wait for it: the old code had already
// committed the change by then (a separate step), the new code is still inside the change's own
// transaction. The service is SIGKILLed exactly there, for each kind of change, and the audit log
// must still explain every row of the database.

const TOKEN = "kws_" + randomBytes(32).toString("base64url");
const SCHEMA = { type: "object", properties: { KILL_A: { type: "string", description: "a" }, KILL_B: { type: "string", description: "b" } } } as const;

const running: RunningCli[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("no change without its audit row (real service process, PostgreSQL, SIGKILL in the window)", () => {
  it("kills the service while each kind of change waits for its audit row; the log explains every row afterwards", { timeout: 240_000 }, async () => {
    const url = await freshPostgresUrl();
    const auditKey = randomBytes(32);
    const env = { ...baseEnv(), DATABASE_URL: url, KEYWARD_MASTER_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_KEY: auditKey.toString("base64"), KEYWARD_DATA_DIR: tmpDir() };
    const start = async () => {
      const svc = await startCli([], env);
      running.push(svc);
      return svc;
    };
    let svc = await start();
    const adminToken = svc.bootstrapToken!;
    const database = connectPostgres(url, { max: 2 });
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    const client = () => createSecretsClient(SCHEMA, { url: svc.grpc, token: TOKEN, serviceName: "kill-test", retry: { maxAttempts: 1 }, cache: false, timeoutMs: 60_000 });
    const raw = (method: string, p: string, body?: unknown) =>
      fetch(svc.admin + p, { method, headers: { authorization: `Bearer ${adminToken}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const tokenId = async () => ((await adminApi(svc.admin, adminToken)("GET", "/api/service-tokens")) as { items: { id: string }[] }).items[0]!.id;
    const requestId = async () => ((await adminApi(svc.admin, adminToken)("GET", "/api/access-requests?status=pending")) as { items: { id: string; secretName: string }[] }).items.find((r) => r.secretName === "KILL_A")!.id;
    const waiters = async () =>
      (await locker.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and objid = $1", [AUDIT_LOCK])).rows[0]!.n;

    /** Runs `change` while the audit lock is held, kills the service once the change waits for it, then restarts. */
    const killInWindow = async (label: string, change: () => Promise<unknown>) => {
      await locker.query("select pg_advisory_lock($1)", [AUDIT_LOCK]);
      try {
        const pending = change().catch(() => undefined);
        await until(async () => (await waiters()) > 0, `${label}: the change never waited for the audit lock`);
        await svc.stop("SIGKILL");
        await pending;
      } finally {
        await locker.query("select pg_advisory_unlock($1)", [AUDIT_LOCK]);
      }
      // The killed backend's transaction ends once it can read its (closed) socket.
      await until(async () => (await waiters()) === 0, `${label}: the killed transaction never ended`);
      expect(await findUnauditedChanges(database.db), label).toEqual([]);
      svc = await start();
    };

    try {
      // Each change runs once normally (to build the next one's precondition) and once killed in the window.
      await killInWindow("create secret", () => raw("POST", "/api/secrets", { name: "KILL_A", description: "a", value: "v1" }));
      expect((await raw("POST", "/api/secrets", { name: "KILL_A", description: "a" })).status).toBeLessThan(500);
      await killInWindow("set value", () => raw("PUT", "/api/secrets/KILL_A/value", { value: "v2" }));
      expect((await raw("PUT", "/api/secrets/KILL_A/value", { value: "v3" })).status).toBe(200);
      await killInWindow("register token (gRPC)", () => client().register());
      expect(await client().register()).toBe("pending");
      await killInWindow("approve token", async () => raw("POST", `/api/service-tokens/${await tokenId()}/approve`));
      expect((await raw("POST", `/api/service-tokens/${await tokenId()}/approve`)).status).toBe(200);
      await killInWindow("stub and access request (gRPC)", () => client().getSecret("KILL_B"));
      await expect(client().getSecret("KILL_B")).rejects.toMatchObject({ reason: expect.any(String) });
      await expect(client().getSecret("KILL_A")).rejects.toMatchObject({ reason: "access_pending" });
      await killInWindow("grant access", async () => raw("POST", `/api/access-requests/${await requestId()}/approve`));
      await killInWindow("disable secret", () => raw("POST", "/api/secrets/KILL_A/disable"));
      await killInWindow("create admin key", () => raw("POST", "/api/admin-keys", { name: "second", role: "viewer" }));
      await killInWindow("revoke token", async () => raw("POST", `/api/service-tokens/${await tokenId()}/revoke`));
      await killInWindow("delete secret", () => raw("DELETE", "/api/secrets/KILL_B"));

      expect(await verifyAuditChain(database.db, auditKey)).toMatchObject({ ok: true });
    } finally {
      await locker.end();
      await database.close();
    }
  });
});
