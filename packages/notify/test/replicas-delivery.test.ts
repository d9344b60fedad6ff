import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { connectPostgres, listDeliveries, listOutboxEvents, recordEvent, type KeywardDatabase } from "@keyward/db";
import { createPostgresTestDatabases } from "@keyward/db/testing";
import { addChannel, createDeliveryWorker, createOutboxDispatcher, routeToChannels, subscribe } from "../src/index.js";
import { startWebhookReceiver } from "./receivers.js";

// Two replicas on one PostgreSQL draining the outbox and the deliveries at the same moment: every
// event is routed once and sent once (SKIP LOCKED claims), even without the scheduler's lease.
const databases = createPostgresTestDatabases({ prefix: "kw_notify_replicas" });
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of open.reverse()) await d.close();
  await databases.dropAll();
});

describe("two replicas delivering (PostgreSQL)", () => {
  it("send each event exactly once when both drain concurrently", { timeout: 120_000 }, async () => {
    const url = await databases.freshUrl();
    const a: KeywardDatabase = connectPostgres(url, { max: 4 });
    const b: KeywardDatabase = connectPostgres(url, { max: 4 });
    open.push(a, b);
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const auditKey = randomBytes(32);
    const secret = randomBytes(16).toString("hex");
    const receiver = await startWebhookReceiver(secret);
    open.push(receiver);
    const channel = await addChannel({ db: a.db, envelope, auditKey }, { name: "hook", kind: "webhook", config: { url: receiver.url }, credentials: { signingSecret: secret }, actor: "admin", at: new Date() });
    await subscribe({ db: a.db, auditKey }, { channelId: channel.id, actor: "admin", at: new Date() });
    for (let i = 0; i < 30; i++) {
      await a.db.transaction().execute((trx) => recordEvent(trx, { type: "access.requested", environment: "production", subject: `svc-${i}/KEY`, link: "/admin/approvals" }));
    }
    const replica = (d: KeywardDatabase) => ({
      dispatcher: createOutboxDispatcher({ db: d.db, handle: routeToChannels(d.db), batchSize: 4 }),
      worker: createDeliveryWorker({ db: d.db, envelope, consoleBaseUrl: "https://k.example.test", batchSize: 4 }),
    });
    const ra = replica(a);
    const rb = replica(b);
    const [da, db] = await Promise.all([ra.dispatcher.drain(), rb.dispatcher.drain()]);
    expect(da.dispatched + db.dispatched).toBe(30);
    const [wa, wb] = await Promise.all([ra.worker.drain(), rb.worker.drain()]);
    expect(wa.delivered + wb.delivered).toBe(30);

    const ids = (await listOutboxEvents(a.db)).map((e) => e.id);
    expect(receiver.calls()).toBe(30);
    expect(receiver.received.map((r) => r.key).sort()).toEqual([...ids].sort());
    expect((await listDeliveries(a.db)).every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });
});
