import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createKeyringEnvelope, listDeliveries, recordEvent, retireKek, rewrapDataKeys, rotateKek, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { addChannel, createDeliveryWorker, createOutboxDispatcher, routeToChannels, subscribe } from "../src/index.js";
import { startWebhookReceiver } from "./receivers.js";

// Channel credentials are data keys under the KEK like values: `keys rewrap` moves them, and a KEK
// that still wraps one cannot be retired, so a key rotation never strands a channel.
const freshPglite = createPgliteTemplate();
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of open.reverse()) await d.close();
});

describe("channel credentials across a KEK rotation (PGlite)", () => {
  it("are counted by retire, moved by rewrap, and still open after the old KEK is retired", async () => {
    const database: KeywardDatabase = await freshPglite();
    open.push(database);
    const master = randomBytes(32);
    const auditKey = randomBytes(32);
    const change = { auditKey, actor: "ops", at: new Date() };
    const envelope = await createKeyringEnvelope(database.db, master, change);
    const oldKek = envelope.activeKeyId;
    const secret = randomBytes(16).toString("hex");
    const receiver = await startWebhookReceiver(secret);
    open.push(receiver);
    const channel = await addChannel({ db: database.db, envelope, auditKey }, { name: "hook", kind: "webhook", config: { url: receiver.url }, credentials: { signingSecret: secret }, actor: "admin", at: new Date() });
    // Only token.pending: the rotation itself is news (key.rotated) and would be a second message.
    await subscribe({ db: database.db, auditKey }, { channelId: channel.id, eventTypes: ["token.pending"], actor: "admin", at: new Date() });

    const rotated = await rotateKek(database.db, master, change);
    expect(rotated.kind).toBe("ok");
    await envelope.reload();
    expect(await retireKek(database.db, oldKek, change)).toEqual({ kind: "in_use", dataKeys: 1 });
    expect(await rewrapDataKeys(database.db, envelope, change)).toEqual({ rewrapped: 1, remaining: 0 });
    expect(await retireKek(database.db, oldKek, change)).toEqual({ kind: "ok", id: oldKek });

    // A fresh envelope (a restarted service) has only the new KEK, and the channel still signs.
    const restarted = await createKeyringEnvelope(database.db, master, change);
    expect(restarted.hasKey(oldKek)).toBe(false);
    await database.db.transaction().execute((trx) => recordEvent(trx, { type: "token.pending", environment: "production", subject: "billing", link: "/admin/tokens" }));
    await createOutboxDispatcher({ db: database.db, handle: routeToChannels(database.db) }).drain();
    expect(await createDeliveryWorker({ db: database.db, envelope: restarted, consoleBaseUrl: "https://k.example.test" }).drain()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
    expect(receiver.received).toHaveLength(1);
    expect((await listDeliveries(database.db))[0]!.status).toBe("delivered");
  });
});
