import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * A "send a test" message: a `channel.test` event that is never routed to subscriptions (it is
 * written dispatched) and its one delivery to this channel, already claimed by the caller, who
 * sends it at once; if the caller dies first, the claim runs out and the delivery worker sends it.
 * Call inside an audited transaction. Returns the delivery's id.
 */
export async function createTestDelivery(db: Kysely<Database>, input: { channelId: string; channelName: string; actor: string; claimMs: number }): Promise<string> {
  const eventId = "evt_" + randomUUID().replaceAll("-", "");
  const id = "dlv_" + randomUUID().replaceAll("-", "");
  await db
    .insertInto("outbox")
    .values({ id: eventId, type: "channel.test", environment: null, subject: input.channelName, link: `/admin/notifications?channel=${encodeURIComponent(input.channelName)}`, data: JSON.stringify({ requestedBy: input.actor }), status: "dispatched", dispatched_at: sql`now()` })
    .execute();
  await db
    .insertInto("deliveries")
    .values({ id, event_id: eventId, channel_id: input.channelId, attempts: 1, claimed_until: sql`now() + ${input.claimMs} * interval '1 millisecond'` })
    .execute();
  return id;
}
