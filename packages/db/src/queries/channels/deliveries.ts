import type { Kysely } from "kysely";
import type { Channel, Database, Delivery, OutboxEvent } from "../../schema.js";
import { claimDueRows } from "../claim-due.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";

/** A claimed delivery with its event and channel (credentials still sealed). */
export interface ClaimedDelivery {
  delivery: Delivery;
  event: OutboxEvent;
  channel: Channel;
}

/** Claims up to `limit` due pending deliveries (see claimDueRows) and counts the attempt. */
export async function claimDeliveries(db: Kysely<Database>, claim: { now: Date; limit: number; claimMs: number }): Promise<ClaimedDelivery[]> {
  const claimed = await claimDueRows<Delivery>(db, "deliveries", claim);
  if (claimed.length === 0) return [];
  const events = await db.selectFrom("outbox").selectAll().where("id", "in", claimed.map((d) => d.event_id)).execute();
  const channels = await db.selectFrom("channels").selectAll().where("id", "in", claimed.map((d) => d.channel_id)).execute();
  return claimed
    .sort((a, b) => a.seq - b.seq)
    .map((delivery) => ({ delivery, event: events.find((e) => e.id === delivery.event_id)!, channel: channels.find((c) => c.id === delivery.channel_id)! }));
}

/** Records an attempt's outcome. `error` is text the caller has already cleaned of credentials. */
export async function finishDelivery(
  db: Kysely<Database>,
  id: string,
  outcome: { status: "delivered"; at: Date; statusCode?: number } | { status: "pending"; retryAt: Date; error: string; statusCode?: number } | { status: "dead"; error: string; statusCode?: number },
): Promise<void> {
  await db
    .updateTable("deliveries")
    .set({
      status: outcome.status,
      claimed_until: null,
      last_status_code: outcome.statusCode ?? null,
      last_error: outcome.status === "delivered" ? null : outcome.error.slice(0, 500),
      next_attempt_at: outcome.status === "pending" ? outcome.retryAt : null,
      delivered_at: outcome.status === "delivered" ? outcome.at : null,
    })
    .where("id", "=", id)
    .execute();
}

/** A channel's delivery history (attempts, status, error text), newest first. */
export function listDeliveries(db: Kysely<Database>, filter: { channelId?: string; eventId?: string; status?: Delivery["status"] } = {}): Promise<Delivery[]> {
  let q = db.selectFrom("deliveries").selectAll();
  if (filter.channelId) q = q.where("channel_id", "=", filter.channelId);
  if (filter.eventId) q = q.where("event_id", "=", filter.eventId);
  if (filter.status) q = q.where("status", "=", filter.status);
  return q.orderBy("seq", "desc").execute();
}

/** One delivery with its event and channel (credentials still sealed), for a sender that already holds its claim. */
export async function getClaimedDelivery(db: Kysely<Database>, id: string): Promise<ClaimedDelivery | undefined> {
  const delivery = await db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  if (!delivery) return undefined;
  const event = await db.selectFrom("outbox").selectAll().where("id", "=", delivery.event_id).executeTakeFirstOrThrow();
  const channel = await db.selectFrom("channels").selectAll().where("id", "=", delivery.channel_id).executeTakeFirstOrThrow();
  return { delivery, event, channel };
}

export type DeliveryWithEvent = Delivery & Pick<OutboxEvent, "type" | "subject" | "environment">;

const withEvent = (db: Kysely<Database>) => db.selectFrom("deliveries as d").innerJoin("outbox as o", "o.id", "d.event_id").selectAll("d").select(["o.type", "o.subject", "o.environment"]);

/** One delivery with its event's type, subject and environment. */
export function getDeliveryWithEvent(db: Kysely<Database>, id: string): Promise<DeliveryWithEvent | undefined> {
  return withEvent(db).where("d.id", "=", id).executeTakeFirst();
}

/** A channel's deliveries with their event's type, subject and environment, newest first, a page at a time. */
export async function listChannelDeliveries(
  db: Kysely<Database>,
  filter: { channelId: string; status?: Delivery["status"]; limit?: number; cursor?: string },
): Promise<{ items: DeliveryWithEvent[]; nextCursor: string | null }> {
  const limit = pageLimit(filter.limit, 100, 500);
  let q = withEvent(db)
    .where("d.channel_id", "=", filter.channelId)
    .orderBy("d.seq", "desc")
    .limit(limit + 1);
  if (filter.status) q = q.where("d.status", "=", filter.status);
  if (filter.cursor !== undefined) q = q.where("d.seq", "<", decodeCursor(filter.cursor, ["seq"] as const)[0]);
  return toPage(await q.execute(), limit, (r) => [r.seq]);
}
