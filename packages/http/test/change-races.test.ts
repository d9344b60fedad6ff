import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUnauditedChanges } from "@keyward/db/testing";
import { startApi, type Api, type CallResult } from "./harness.js";

// Two admin requests on the same row at once, on PostgreSQL (PGlite runs one transaction at a time):
// a change's audit row says "ok" only if the change happened, and the second request is refused, not
// audited as a change it did not make. A plugin on the audit writer's db runs the second request
// right after a chosen statement of the first one's transaction.
describe("changes racing on one row (postgres)", () => {
  let api: Api;
  let hook: ((statement: string) => Promise<void>) | undefined;
  const statements = new Map<unknown, string>();
  const plugin: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs) => (statements.set(args.queryId, JSON.stringify(args.node)), args.node),
    async transformResult(args: PluginTransformResultArgs) {
      const statement = statements.get(args.queryId) ?? "";
      statements.delete(args.queryId);
      if (hook) await hook(statement);
      return args.result;
    },
  };

  /**
   * Once a statement of the first request matches, starts `second` and lets the first go on when the
   * second is done or waits on a row lock the first holds (awaiting it then would deadlock).
   */
  const between = (matches: (statement: string) => boolean, second: () => Promise<CallResult>): Promise<CallResult> =>
    new Promise((resolve) => {
      hook = async (statement) => {
        if (!matches(statement)) return;
        hook = undefined;
        const running = second();
        void running.then(resolve);
        let done = false;
        void running.then(() => (done = true));
        for (let i = 0; i < 500 && !done; i++) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(api.kdb.db);
          if (rows[0]!.n > 0) return;
          await new Promise((r) => setTimeout(r, 10));
        }
      };
    });
  const auditOf = (target: string) =>
    api.kdb.db.selectFrom("audit_log").select(["action", "result"]).where("target", "=", target).orderBy("seq").execute().then((rows) => rows.map((r) => `${r.action} ${r.result}`));

  beforeAll(async () => {
    api = await startApi({ backend: "postgres", wrapAuditDb: (db) => db.withPlugin(plugin) });
  });
  afterAll(async () => {
    // The harness seeds its admin keys in the database, without rows.
    expect((await findUnauditedChanges(api.kdb.db)).filter((f) => f.table !== "admin_api_keys")).toEqual([]);
    await api?.close();
  });

  it("removing one subscription twice at once: one removal, one ok row, and a 404", async () => {
    expect((await api.call("POST", "/api/channels", { body: { name: "ops", kind: "webhook", config: { url: "http://127.0.0.1:9/x" }, credentials: { signingSecret: "s".repeat(24) } } })).status).toBe(201);
    const sub = await api.call("POST", "/api/subscriptions", { body: { channel: "ops" } });
    expect(sub.status).toBe(201);
    const del = () => api.call("DELETE", `/api/subscriptions/${sub.json.id}`);
    const second = between((s) => s.includes('"subscriptions"'), del);
    const first = await del();
    expect([first.status, (await second).status].sort()).toEqual([204, 404]);
    expect((await auditOf("channel:ops")).filter((r) => r.startsWith("channel.unsubscribe"))).toEqual(["channel.unsubscribe ok"]);
  });

  it("changing a channel that is deleted meanwhile: a 404 and no update row after the delete", async () => {
    const second = between((s) => s.includes('"channels"') && !s.includes("ForUpdate"), () => api.call("DELETE", "/api/channels/ops"));
    const first = await api.call("PATCH", "/api/channels/ops", { body: { enabled: false } });
    expect((await second).status).toBe(204);
    expect(first.status).toBe(404);
    expect((await auditOf("channel:ops")).at(-1)).toBe("channel.delete ok");
    expect(await auditOf("channel:ops")).not.toContain("channel.update ok");
  });

  it("two retires of one signing key at once never move its retired versions back", async () => {
    expect((await api.call("POST", "/api/signing-keys", { body: { name: "RACE_KEY", algorithm: "hmac-sha256" } })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await api.call("POST", "/api/signing-keys/RACE_KEY/rotate")).status).toBe(200);
    // The first retires below 4; the second, arriving while the first holds the key, asks below 2.
    const second = between((s) => s.includes('"signing_keys"'), () => api.call("POST", "/api/signing-keys/RACE_KEY/retire", { body: { below: 2 } }));
    const first = await api.call("POST", "/api/signing-keys/RACE_KEY/retire", { body: { below: 4 } });
    expect(first.status, first.text).toBe(200);
    expect((await second).status).toBe(409);
    const list = await api.call("GET", "/api/signing-keys");
    expect(list.json.items.find((k: { name: string }) => k.name === "RACE_KEY")).toMatchObject({ minVersion: 4 });
    expect(await auditOf("signing_key:RACE_KEY")).toEqual(["signing_key.create ok", "signing_key.rotate ok", "signing_key.rotate ok", "signing_key.rotate ok", "signing_key.retire ok", "signing_key.retire refused"]);
  });
});
