import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureJob } from "@keyward/db";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "@keyward/notify";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const SECRET = "whsec_first_" + "a1b2c3d4e5f6a7b8";
const SECRET2 = "whsec_second_" + "f6e5d4c3b2a1f0e9";
const SLACK_URL = "http://127.0.0.1:9/services/T000/B000/xoxb-never-shown";

/** A webhook receiver that records what arrives and answers `status`. */
async function receiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    answer: (s: number) => void (status = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// Issue #14: channels, subscriptions, delivery history, "send a test" and job state over the admin API.
describe.each(backends)("notification channels over the admin API on %s", (backend) => {
  let api: Api;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    api = await startApi({ backend });
    hook = await receiver();
  });
  afterAll(async () => {
    // No credential reached a response, a problem, a log line or the audit log.
    const audit = JSON.stringify(await api.kdb.db.selectFrom("audit_log").selectAll().execute());
    const deliveries = JSON.stringify(await api.kdb.db.selectFrom("deliveries").selectAll().execute());
    for (const secret of [SECRET, SECRET2, SLACK_URL]) {
      expect(api.bodies.join("\n")).not.toContain(secret);
      expect(api.logs()).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(deliveries).not.toContain(secret);
    }
    await hook?.close();
    await api?.close();
  });

  it("adds a webhook channel, never answering its credentials, and names what is wrong with a bad one", async () => {
    const created = await api.call("POST", "/api/channels", { body: { name: "ops-hook", kind: "webhook", config: { url: hook.url }, credentials: { signingSecret: SECRET } } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: "ops-hook", kind: "webhook", config: { url: hook.url }, credentialsVersion: 1, enabled: true });
    expect(Object.keys(created.json)).not.toContain("credentials");
    expect((await api.call("GET", "/api/channels")).json.items.map((c: { name: string }) => c.name)).toEqual(["ops-hook"]);
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "ops-hook", kind: "webhook", config: { url: hook.url }, credentials: { signingSecret: SECRET } } }), 409, "name");
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "no-url", kind: "webhook", config: {}, credentials: { signingSecret: SECRET } } }), 400, "config.url");
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "no-secret", kind: "webhook", config: { url: hook.url }, credentials: {} } }), 400, "credentials.signingSecret");
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "no-slack-url", kind: "slack", config: {}, credentials: {} } }), 400, "credentials.webhookUrl");
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "mail", kind: "email", config: { host: "127.0.0.1", port: 25, from: "k@example.com" }, credentials: {} } }), 400, "config.to");
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "Bad Name", kind: "slack", config: {}, credentials: { webhookUrl: SLACK_URL } } }), 400, "name");
    expectProblem(await api.call("POST", "/api/channels", { body: { name: "leaky", kind: "slack", config: {}, credentials: { webhookUrl: SLACK_URL, token: "x" } } }), 400);
    expect((await api.call("POST", "/api/channels", { body: { name: "team-slack", kind: "slack", config: {}, credentials: { webhookUrl: SLACK_URL } } })).status).toBe(201);
    const rows = await api.kdb.db.selectFrom("audit_log").select(["action", "target", "result"]).where("action", "=", "channel.create").execute();
    expect(rows).toEqual([
      { action: "channel.create", target: "channel:ops-hook", result: "ok" },
      { action: "channel.create", target: "channel:ops-hook", result: "refused" },
      { action: "channel.create", target: "channel:team-slack", result: "ok" },
    ]);
  });

  it("sends a test at once: signed with the channel's secret, recorded in its history; a failure is recorded dead with the error and no credential", async () => {
    const sent = await api.call("POST", "/api/channels/ops-hook/test");
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json).toMatchObject({ eventType: "channel.test", subject: "ops-hook", status: "delivered", attempts: 1, lastStatusCode: 200, lastError: null, count: 1 });
    const arrived = hook.got.at(-1)!;
    expect(verifyWebhookSignature(SECRET, arrived.headers[SIGNATURE_HEADER.toLowerCase()] as string, arrived.body)).toBe("ok");
    expect(arrived.headers["idempotency-key"]).toBe(sent.json.eventId);
    expect(JSON.parse(arrived.body)).toMatchObject({ type: "channel.test", title: expect.stringContaining("ops-hook") });

    hook.answer(500);
    const failed = await api.call("POST", "/api/channels/ops-hook/test");
    hook.answer(200);
    expect(failed.json).toMatchObject({ status: "dead", lastStatusCode: 500, lastError: "webhook answered 500" });
    // A test is not retried and raises no delivery.failing event: the admin who asked has the answer.
    expect(await api.kdb.db.selectFrom("outbox").select("type").where("type", "=", "delivery.failing").execute()).toEqual([]);
    const unreachable = await api.call("POST", "/api/channels/team-slack/test");
    expect(unreachable.json).toMatchObject({ status: "dead", lastError: expect.stringContaining("unreachable") });

    const history = await api.call("GET", "/api/channels/ops-hook/deliveries?limit=1");
    expect(history.json.items.map((d: { id: string }) => d.id)).toEqual([failed.json.id]);
    const older = await api.call("GET", `/api/channels/ops-hook/deliveries?limit=1&cursor=${history.json.nextCursor}`);
    expect(older.json).toMatchObject({ items: [{ id: sent.json.id }], nextCursor: null });
    expect((await api.call("GET", "/api/channels/ops-hook/deliveries?status=dead")).json.items.map((d: { id: string }) => d.id)).toEqual([failed.json.id]);
    expectProblem(await api.call("POST", "/api/channels/nowhere/test"), 404, "name");
    expectProblem(await api.call("GET", "/api/channels/nowhere/deliveries"), 404, "name");
  });

  it("replaces credentials whole under a new version, disables and re-enables; the new secret signs, the old does not", async () => {
    const updated = await api.call("PATCH", "/api/channels/ops-hook", { body: { credentials: { signingSecret: SECRET2 }, enabled: false } });
    expect(updated.json).toMatchObject({ credentialsVersion: 2, enabled: false });
    // A disabled channel can still be tested: that is how it is checked before it is turned on.
    await api.call("POST", "/api/channels/ops-hook/test");
    const arrived = hook.got.at(-1)!;
    const signature = arrived.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifyWebhookSignature(SECRET2, signature, arrived.body)).toBe("ok");
    expect(verifyWebhookSignature(SECRET, signature, arrived.body)).toBe("mismatch");
    expect((await api.call("PATCH", "/api/channels/ops-hook", { body: { enabled: true } })).json).toMatchObject({ enabled: true, credentialsVersion: 2 });
    expectProblem(await api.call("PATCH", "/api/channels/ops-hook", { body: {} }), 400);
    expectProblem(await api.call("PATCH", "/api/channels/ops-hook", { body: { config: { url: "ftp://nope" } } }), 400);
    expectProblem(await api.call("PATCH", "/api/channels/nowhere", { body: { enabled: true } }), 404, "name");
  });

  it("routes events to channels with subscriptions, checked and audited", async () => {
    const sub = await api.call("POST", "/api/subscriptions", { body: { channel: "ops-hook", eventTypes: ["token.pending", "change_request.created"], environments: ["production"] } });
    expect(sub.status, sub.text).toBe(201);
    expect(sub.json).toMatchObject({ channel: "ops-hook", eventTypes: ["token.pending", "change_request.created"], environments: ["production"] });
    expectProblem(await api.call("POST", "/api/subscriptions", { body: { channel: "ops-hook", environments: ["nowhere"] } }), 400, "environments");
    expectProblem(await api.call("POST", "/api/subscriptions", { body: { channel: "ops-hook", eventTypes: ["made.up"] } }), 400);
    expectProblem(await api.call("POST", "/api/subscriptions", { body: { channel: "nowhere" } }), 404, "name");
    expect((await api.call("GET", "/api/subscriptions")).json.items).toEqual([sub.json]);
    expect((await api.call("DELETE", `/api/subscriptions/${sub.json.id}`)).status).toBe(204);
    expectProblem(await api.call("DELETE", `/api/subscriptions/${sub.json.id}`), 404, "id");
    const every = await api.call("POST", "/api/subscriptions", { body: { channel: "team-slack" } });
    expect(every.json).toMatchObject({ eventTypes: [], environments: [] });
    expect((await api.call("DELETE", "/api/channels/team-slack")).status).toBe(204);
    expect((await api.call("GET", "/api/subscriptions")).json.items).toEqual([]);
    expectProblem(await api.call("DELETE", "/api/channels/team-slack"), 404, "name");
    const actions = (await api.kdb.db.selectFrom("audit_log").select("action").where("action", "like", "channel.%").execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["channel.subscribe", "channel.unsubscribe", "channel.update", "channel.delete", "channel.test"]));
  });

  it("shows the scheduler's jobs, refuses the roles and scoped keys that may not manage channels", async () => {
    await ensureJob(api.kdb.db, { name: "rotation-check", schedule: "daily 06:00 UTC", firstRunAt: new Date("2026-12-01T06:00:00.000Z") });
    expect((await api.call("GET", "/api/jobs", { token: api.tokens.admin })).json.items).toEqual([
      { name: "rotation-check", schedule: "daily 06:00 UTC", nextRunAt: "2026-12-01T06:00:00.000Z", lastStartedAt: null, lastFinishedAt: null, lastStatus: null, lastError: null, runCount: 0, leaseOwner: null, leasedUntil: null },
    ]);
    expectProblem(await api.call("GET", "/api/channels", { token: api.tokens.viewer }), 403, "role");
    expectProblem(await api.call("POST", "/api/channels/ops-hook/test", { token: api.tokens.auditor }), 403, "role");
    const scoped = (await api.call("POST", "/api/admin-keys", { body: { name: "dev admin", role: "admin", environments: ["development"] } })).json.token as string;
    expectProblem(await api.call("POST", "/api/channels", { token: scoped, body: { name: "scoped", kind: "slack", config: {}, credentials: { webhookUrl: SLACK_URL } } }), 403, "environment");
    expectProblem(await api.call("POST", "/api/subscriptions", { token: scoped, body: { channel: "ops-hook" } }), 403, "environment");
  });
});
