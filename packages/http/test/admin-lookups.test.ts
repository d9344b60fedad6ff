import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

// Issue #18: with a change feed, the admin key behind a bearer and the environment a request acts in
// are cached (two round trips a request). A change is seen at once when made through this server,
// on the feed's notification when made anywhere else, and never later than the entries' maximum age.
const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

/** The system's time plus what a test added: entries age without waiting. */
function shiftedClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
}

/** Polls until `check` holds (a notification crosses a connection): fails the test after 10 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the change never reached the cache");
}

/** Runs `change` on a connection whose triggers are off: a change the feed never hears of. */
async function unannounced(api: Api, change: string): Promise<void> {
  await api.kdb.db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await sql.raw(change).execute(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
    }
  });
}

describe.each(backends)("cached admin lookups on %s", (backend) => {
  it("a key revoked or an environment changed through this server is seen on the very next request", async () => {
    // A feed that announces nothing: only the server's own bookkeeping can drop an entry.
    const api = await startApi({ backend, changes: "silent" });
    apis.push(api);
    const { json } = await api.call("POST", "/api/admin-keys", { body: { name: "short-lived", role: "admin" } });
    expect((await api.call("GET", "/api/me", { token: json.token })).status).toBe(200);
    // Cached: a change nobody announces is not seen...
    await unannounced(api, `update admin_api_keys set role = 'viewer' where id = '${json.key.id}'`);
    expect((await api.call("GET", "/api/me", { token: json.token })).json).toMatchObject({ role: "admin" });
    // ...until this server itself changes an admin key.
    expect((await api.call("POST", `/api/admin-keys/${json.key.id}/revoke`)).status).toBe(200);
    expectProblem(await api.call("GET", "/api/me", { token: json.token }), 401, "authorization");

    expect((await api.call("POST", "/api/secrets", { body: { name: "API_KEY" } })).status).toBe(201);
    expect((await api.call("PUT", "/api/secrets/API_KEY/value", { body: { value: "one" } })).status).toBe(200);
    expect((await api.call("PATCH", "/api/environments/development", { body: { protected: true } })).status).toBe(200);
    expect((await api.call("PUT", "/api/secrets/API_KEY/value", { body: { value: "two" } })).status).toBe(202);
  });

  it("a key revoked elsewhere is refused once its notification arrives; unannounced, once its entry is too old", async () => {
    const clock = shiftedClock();
    const api = await startApi({ backend, changes: true, clock });
    apis.push(api);
    const { json } = await api.call("POST", "/api/admin-keys", { body: { name: "elsewhere", role: "admin" } });
    // Made now, so its own creation's notification (which drops its entry) has arrived by the time
    // the revocation's below has: notifications come in commit order. Made later, that notification
    // could arrive after its entry was cached and drop it, on a slow machine.
    const other = (await api.call("POST", "/api/admin-keys", { body: { name: "bypassed", role: "admin" } })).json;
    expect((await api.call("GET", "/api/me", { token: json.token })).status).toBe(200);
    // Revoked by another process (the CLI, psql): the trigger announces it.
    await api.kdb.db.updateTable("admin_api_keys").set({ revoked_at: new Date() }).where("id", "=", json.key.id).execute();
    await eventually(async () => (await api.call("GET", "/api/me", { token: json.token })).status === 401);

    // With the trigger bypassed, the cached key is served (this is what proves the cache is used)
    // until its entry is older than the maximum age (30 s by default).
    expect((await api.call("GET", "/api/me", { token: other.token })).status).toBe(200);
    await unannounced(api, `update admin_api_keys set revoked_at = now() where id = '${other.key.id}'`);
    expect((await api.call("GET", "/api/me", { token: other.token })).status).toBe(200);
    clock.advance(30_001);
    expectProblem(await api.call("GET", "/api/me", { token: other.token }), 401, "authorization");
  });

  it("an environment protected elsewhere holds the next value set once its notification arrives", async () => {
    const api = await startApi({ backend, changes: true });
    apis.push(api);
    expect((await api.call("POST", "/api/secrets", { body: { name: "DB_URL" } })).status).toBe(201);
    expect((await api.call("PUT", "/api/secrets/DB_URL/value", { body: { value: "first" } })).status).toBe(200);
    await api.kdb.db.updateTable("environments").set({ protected: true }).where("is_default", "=", true).execute();
    let held = 0;
    await eventually(async () => {
      const r = await api.call("PUT", "/api/secrets/DB_URL/value", { body: { value: "second" } });
      held = r.status;
      return r.status === 202;
    });
    expect(held).toBe(202);
  });

  it("without a feed nothing is cached: a change nobody announced is seen at once", async () => {
    const api = await startApi({ backend });
    apis.push(api);
    const { json } = await api.call("POST", "/api/admin-keys", { body: { name: "uncached", role: "admin" } });
    expect((await api.call("GET", "/api/me", { token: json.token })).status).toBe(200);
    await unannounced(api, `update admin_api_keys set revoked_at = now() where id = '${json.key.id}'`);
    expectProblem(await api.call("GET", "/api/me", { token: json.token }), 401, "authorization");
  });
});
