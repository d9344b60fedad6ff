import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { createChannel, inTransaction, recordEvent, routeEvent, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate, createPostgresTestDatabases } from "@keyward/db/testing";
import { notificationRetentionJob } from "../src/index.js";

const freshPglite = createPgliteTemplate();
const databases = createPostgresTestDatabases({ prefix: "kw_notify_retention" });
const open: KeywardDatabase[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
  await databases.dropAll();
});
const backends = [
  ["pglite", () => freshPglite()],
  ["postgres", () => databases.fresh()],
] as const;

const DAY = 86_400_000;
const now = new Date("2026-06-30T03:30:00.000Z");
const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });

describe.each(backends)("notification retention on %s", (_kind, fresh) => {
  it("forgets finished deliveries and dispatched events past retention, never pending work or an event a delivery still holds", async () => {
    const database = await fresh();
    open.push(database);
    const { db } = database;
    const channel = await createChannel(db, envelope, { name: "ops", kind: "webhook", config: { url: "http://127.0.0.1:9/" }, credentials: { signingSecret: "retention-test-secret" }, actor: "t", at: now });
    await db.insertInto("subscriptions").values({ id: "sub_" + "0".repeat(32), channel_id: channel.id, created_at: now, created_by: "t" }).execute();
    // Events of several ages and fates, each routed to the channel.
    const event = async (subject: string, ageDays: number, delivery: "delivered" | "dead" | "pending") => {
      const id = await inTransaction(db, (trx) => recordEvent(trx, { type: "token.pending", environment: "production", subject, link: "/admin/" }));
      await routeEvent(db, { id, type: "token.pending", environment: "production", subject });
      const at = new Date(now.getTime() - ageDays * DAY);
      await db.updateTable("outbox").set({ status: "dispatched", created_at: at }).where("id", "=", id).execute();
      await db.updateTable("deliveries").set({ status: delivery, created_at: at }).where("event_id", "=", id).execute();
      return id;
    };
    const oldDelivered = await event("old-delivered", 40, "delivered");
    const oldDead = await event("old-dead", 31, "dead");
    const oldPending = await event("old-pending", 45, "pending");
    const recent = await event("recent", 5, "delivered");
    // An old event merged into a still-pending delivery is held by it.
    const merged = await inTransaction(db, (trx) => recordEvent(trx, { type: "token.pending", environment: "production", subject: "old-pending", link: "/admin/" }));
    await db.updateTable("outbox").set({ status: "dispatched", created_at: new Date(now.getTime() - 50 * DAY) }).where("id", "=", merged).execute();
    await db.updateTable("deliveries").set({ merged_event_ids: sql<string[]>`array_append(merged_event_ids, ${merged}::text)` }).where("event_id", "=", oldPending).execute();
    await db.insertInto("notification_cooldowns").values([
      { kind: "rotation.due", subject: "production/OLD", last_sent_at: new Date(now.getTime() - 10 * DAY) },
      { kind: "rotation.due", subject: "production/NEW", last_sent_at: new Date(now.getTime() - 2 * DAY) },
    ]).execute();

    const job = notificationRetentionJob({ db, retentionDays: 30, cooldownMs: 7 * DAY });
    await job.run({ now, dueAt: now, signal: new AbortController().signal });
    const events = (await db.selectFrom("outbox").select("id").execute()).map((r) => r.id).sort();
    expect(events).toEqual([oldPending, recent, merged].sort());
    expect(events).not.toContain(oldDelivered);
    expect(events).not.toContain(oldDead);
    expect((await db.selectFrom("deliveries").select("event_id").execute()).map((r) => r.event_id).sort()).toEqual([oldPending, recent].sort());
    expect((await db.selectFrom("notification_cooldowns").select("subject").execute()).map((r) => r.subject)).toEqual(["production/NEW"]);
    // Running again removes nothing more.
    await job.run({ now, dueAt: now, signal: new AbortController().signal });
    expect((await db.selectFrom("outbox").select("id").execute()).length).toBe(3);
  });
});
