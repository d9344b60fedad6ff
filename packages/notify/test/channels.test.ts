import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvelope, createLogger, kekFromKey } from "@keyward/common";
import { listChannels, listDeliveries, listOutboxEvents, recordEvent, type KeywardDatabase, type NewEvent } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { addChannel, createDeliveryWorker, createOutboxDispatcher, routeToChannels, signWebhook, subscribe, verifyWebhookSignature } from "../src/index.js";
import { movableClock } from "./helpers.js";
import { startSlackReceiver, startSmtpReceiver, startWebhookReceiver } from "./receivers.js";

const freshPglite = createPgliteTemplate();
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of open.reverse()) await d.close();
});

const CONSOLE = "https://keyward.example.test";

async function setup() {
  const database = await freshPglite();
  open.push(database);
  let logText = "";
  const logger = createLogger({ destination: new Writable({ write: (c, _e, cb) => ((logText += c.toString()), cb()) }), level: "debug" });
  const deps = { db: database.db, envelope: createEnvelope({ active: kekFromKey(randomBytes(32)) }), auditKey: randomBytes(32) };
  return { database, deps, logger, logs: () => logText };
}
const record = (database: KeywardDatabase, event: NewEvent) => database.db.transaction().execute((trx) => recordEvent(trx, event));

describe("channels (real local receivers)", () => {
  it("routes events by type and environment to a signed webhook, a Slack Block Kit message and an email over STARTTLS; no credential anywhere", async () => {
    const { database, deps, logger, logs } = await setup();
    const signingSecret = "whsec_" + randomBytes(16).toString("hex");
    const slackPath = "T000/B000/" + randomBytes(12).toString("hex");
    const smtpPassword = "smtp-" + randomBytes(12).toString("hex");
    const webhook = await startWebhookReceiver(signingSecret);
    const slack = await startSlackReceiver(slackPath);
    const smtp = await startSmtpReceiver("keyward", smtpPassword);
    open.push(webhook, slack, smtp);
    const at = new Date();
    const hook = await addChannel(deps, { name: "ops-hook", kind: "webhook", config: { url: webhook.url }, credentials: { signingSecret }, actor: "admin:1", at });
    const chat = await addChannel(deps, { name: "ops-slack", kind: "slack", config: {}, credentials: { webhookUrl: slack.url }, actor: "admin:1", at });
    const mail = await addChannel(deps, {
      name: "ops-mail",
      kind: "email",
      config: { host: "127.0.0.1", port: smtp.port, from: "keyward@example.test", to: ["ops@example.test"], user: "keyward", tlsCa: smtp.ca },
      credentials: { password: smtpPassword },
      actor: "admin:1",
      at,
    });
    await subscribe(deps, { channelId: hook.id, actor: "admin:1", at });
    await subscribe(deps, { channelId: chat.id, eventTypes: ["access.requested"], environments: ["production"], actor: "admin:1", at });
    await subscribe(deps, { channelId: mail.id, eventTypes: ["token.pending"], actor: "admin:1", at });

    const tokenPending = await record(database, { type: "token.pending", environment: "production", subject: "billing", link: "/admin/tokens?status=pending&environment=production" });
    const requested = await record(database, { type: "access.requested", environment: "production", subject: "billing/STRIPE_KEY", link: "/admin/approvals?environment=production" });
    await record(database, { type: "access.requested", environment: "staging", subject: "billing/STRIPE_KEY", link: "/admin/approvals?environment=staging" });

    const dispatcher = createOutboxDispatcher({ db: database.db, handle: routeToChannels(database.db), logger });
    expect(await dispatcher.drain()).toEqual({ dispatched: 3, failed: 0 });
    expect(await dispatcher.drain()).toEqual({ dispatched: 0, failed: 0 });
    const worker = createDeliveryWorker({ ...deps, consoleBaseUrl: CONSOLE, logger });
    expect(await worker.drain()).toEqual({ delivered: 5, retrying: 0, dead: 0 });

    // Webhook: all three, each verified by the receiver, the event id as idempotency key.
    expect(webhook.received.map((r) => [r.key, r.body.type, r.body.environment])).toEqual([
      [tokenPending, "token.pending", "production"],
      [requested, "access.requested", "production"],
      [expect.stringMatching(/^evt_/), "access.requested", "staging"],
    ]);
    expect(webhook.received[1]!.body.url).toBe(`${CONSOLE}/admin/approvals?environment=production`);
    // Slack: only production's access request, as Block Kit with a button to the console page.
    expect(slack.received).toHaveLength(1);
    const actions = slack.received[0]!.blocks.find((b) => b.type === "actions") as unknown as { elements: { type: string; url: string }[] };
    expect(actions.elements[0]).toMatchObject({ type: "button", url: `${CONSOLE}/admin/approvals?environment=production` });
    expect(slack.received[0]!.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text", text: "Access requested: billing/STRIPE_KEY (production)" } });
    // Email: the token event, over STARTTLS, signed in, with text and HTML bodies.
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect(m.secure).toBe(true);
    expect(m.user).toBe("keyward");
    expect(m.parsed.subject).toBe("[Keyward] Service billing is waiting for its token to be approved (production)");
    expect(m.parsed.text).toContain(`${CONSOLE}/admin/tokens?status=pending&environment=production`);
    expect(m.parsed.html).toContain(`href="${CONSOLE}/admin/tokens?status=pending&amp;environment=production"`);
    expect(m.parsed.messageId).toBe(`<${tokenPending}@keyward>`);

    const deliveries = await listDeliveries(database.db);
    expect(deliveries.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered", "delivered", "delivered"]);

    // No credential in any message, log, delivery row, event, channel listing or audit row; sealed at rest.
    const dump = async (table: string) => JSON.stringify((await sql`select * from ${sql.table(table)}`.execute(database.db)).rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v));
    const everything = [
      logs(),
      JSON.stringify(webhook.received),
      JSON.stringify(slack.received),
      smtp.mails.map((x) => `${x.parsed.text}\n${x.parsed.html}\n${JSON.stringify([...x.parsed.headers])}`).join("\n"),
      JSON.stringify(await listChannels(database.db)),
      await dump("deliveries"),
      await dump("outbox"),
      await dump("channels"),
      await dump("audit_log"),
      await dump("subscriptions"),
    ].join("\n");
    for (const secret of [signingSecret, smtpPassword, slackPath, slack.url]) expect(everything).not.toContain(secret);
    expect(await dump("audit_log")).toContain("channel.create");
  });

  it("retries a receiver that fails twice with exponential backoff, and dead-letters one that keeps failing after N attempts", async () => {
    const { database, deps, logger, logs } = await setup();
    const secret = randomBytes(16).toString("hex");
    const flaky = await startWebhookReceiver(secret, { failFirst: 2 });
    const broken = await startWebhookReceiver(secret, { alwaysFail: true });
    open.push(flaky, broken);
    const at = new Date();
    for (const [name, url] of [["flaky", flaky.url], ["broken", broken.url]] as const) {
      const c = await addChannel(deps, { name, kind: "webhook", config: { url }, credentials: { signingSecret: secret }, actor: "admin:1", at });
      await subscribe(deps, { channelId: c.id, actor: "admin:1", at });
    }
    const id = await record(database, { type: "rotation.overdue", environment: "production", subject: "STRIPE_KEY", link: "/admin/secrets?rotation=overdue" });
    await createOutboxDispatcher({ db: database.db, handle: routeToChannels(database.db) }).drain();
    const clock = movableClock(new Date());
    const worker = createDeliveryWorker({ ...deps, consoleBaseUrl: CONSOLE, clock, logger, maxAttempts: 4, backoff: { baseMs: 1_000, maxMs: 60_000 } });

    expect(await worker.drain()).toEqual({ delivered: 0, retrying: 2, dead: 0 });
    expect(await worker.drain()).toEqual({ delivered: 0, retrying: 0, dead: 0 }); // backing off 1 s
    clock.advance(1_000);
    expect(await worker.drain()).toEqual({ delivered: 0, retrying: 2, dead: 0 });
    clock.advance(1_000);
    expect(await worker.drain()).toEqual({ delivered: 0, retrying: 0, dead: 0 }); // now 2 s
    clock.advance(1_000);
    expect(await worker.drain()).toEqual({ delivered: 1, retrying: 1, dead: 0 }); // flaky's 3rd attempt succeeds
    clock.advance(4_000);
    expect(await worker.drain()).toEqual({ delivered: 0, retrying: 0, dead: 1 }); // broken's 4th: dead
    clock.advance(3_600_000);
    expect(await worker.drain()).toEqual({ delivered: 0, retrying: 0, dead: 0 });

    expect(flaky.received.map((r) => r.key)).toEqual([id]);
    expect(flaky.calls()).toBe(3);
    expect(broken.calls()).toBe(4);
    const rows = await listDeliveries(database.db, { eventId: id });
    expect(rows.map((r) => [r.status, r.attempts, r.last_status_code, r.last_error]).sort()).toEqual([
      ["dead", 4, 500, "webhook answered 500"],
      ["delivered", 3, 204, null],
    ]);
    // The dead-letter raised a delivery.failing event naming the channel (never its URL or secret).
    const failing = (await listOutboxEvents(database.db)).filter((e) => e.type === "delivery.failing");
    expect(failing.map((e) => [e.subject, e.environment, e.link, e.data])).toEqual([
      ["broken", "production", "/admin/notifications?channel=broken", { channel: "broken", eventId: id, eventType: "rotation.overdue", attempts: 4, error: "webhook answered 500" }],
    ]);
    expect(JSON.stringify(failing)).not.toContain(broken.url);
    expect(logs()).toContain("dead-lettered");
    expect(logs()).not.toContain(secret);
  });

  it("sends a burst of identical events as one message with a count; routing again adds nothing", async () => {
    const { database, deps } = await setup();
    const secret = randomBytes(16).toString("hex");
    const receiver = await startWebhookReceiver(secret);
    open.push(receiver);
    const at = new Date();
    const c = await addChannel(deps, { name: "hook", kind: "webhook", config: { url: receiver.url }, credentials: { signingSecret: secret }, actor: "admin:1", at });
    await subscribe(deps, { channelId: c.id, actor: "admin:1", at });
    const pending = { type: "token.pending", environment: "production", subject: "billing", link: "/admin/tokens?status=pending&environment=production" } as const;
    const ids = [await record(database, pending), await record(database, pending), await record(database, { ...pending, subject: "mailer" }), await record(database, pending)];
    const dispatcher = createOutboxDispatcher({ db: database.db, handle: routeToChannels(database.db) });
    expect(await dispatcher.drain()).toEqual({ dispatched: 4, failed: 0 });
    // Routing an event again (a crash before its mark) neither duplicates nor double-counts it.
    for (const id of ids) await routeToChannels(database.db)((await listOutboxEvents(database.db)).find((e) => e.id === id)!);
    expect(await createDeliveryWorker({ ...deps, consoleBaseUrl: CONSOLE }).drain()).toEqual({ delivered: 2, retrying: 0, dead: 0 });
    expect(receiver.received.map((r) => [r.body.subject, r.body.count, r.body.title])).toEqual([
      ["billing", 3, "Service billing is waiting for its token to be approved (production) (×3)"],
      ["mailer", 1, "Service mailer is waiting for its token to be approved (production)"],
    ]);
    expect((await listDeliveries(database.db)).map((d) => d.merged_event_ids).reverse()).toEqual([[ids[1], ids[3]], []]);
    // Once sent, a new identical event is a new message.
    await record(database, pending);
    await dispatcher.drain();
    expect(await createDeliveryWorker({ ...deps, consoleBaseUrl: CONSOLE }).drain()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
    expect(receiver.received[2]!.body.count).toBe(1);
  });

  it("names bad channel input, and the signature refuses replays outside the window and edited bodies", async () => {
    const { deps } = await setup();
    const at = new Date();
    await expect(addChannel(deps, { name: "Ops Hook", kind: "webhook", config: { url: "http://x" }, credentials: { signingSecret: "s" }, actor: "a", at })).rejects.toThrow(/channel name must be a lower-case slug/);
    await expect(addChannel(deps, { name: "hook", kind: "webhook", config: { url: "http://x" }, credentials: {}, actor: "a", at })).rejects.toThrow("a channel of kind webhook needs credentials.signingSecret");
    await expect(addChannel(deps, { name: "mail", kind: "email", config: { host: "h", port: 25, from: "a@b" }, credentials: {}, actor: "a", at })).rejects.toThrow("a channel of kind email needs config.to");
    const body = '{"id":"evt_1"}';
    const header = signWebhook("k", body, at);
    expect(verifyWebhookSignature("k", header, body, at)).toBe("ok");
    expect(verifyWebhookSignature("k", header, body, new Date(at.getTime() + 301_000))).toBe("expired");
    expect(verifyWebhookSignature("k", header, body.replace("1", "2"), at)).toBe("mismatch");
    expect(verifyWebhookSignature("other", header, body, at)).toBe("mismatch");
    expect(verifyWebhookSignature("k", "v1=abc", body, at)).toBe("malformed");
  });
});
