import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database, OutboxEvent, Subscription } from "../../schema.js";
import { inTransaction } from "../transaction.js";

/** Routes `eventTypes` (all when empty) in `environments` (all when empty) to a channel. Call inside an audited transaction. */
export function createSubscription(
  db: Kysely<Database>,
  input: { channelId: string; eventTypes?: string[]; environments?: string[]; actor: string; at: Date },
): Promise<Subscription> {
  return db
    .insertInto("subscriptions")
    .values({ id: "sub_" + randomUUID().replaceAll("-", ""), channel_id: input.channelId, event_types: input.eventTypes ?? [], environments: input.environments ?? [], created_at: input.at, created_by: input.actor })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Routes an event to every enabled channel subscribed to it (its type and, when the subscription
 * names environments, its environment). Per channel, an identical event (type, environment,
 * subject) whose delivery is still unsent and unclaimed absorbs this one (a burst becomes one
 * message with a count); otherwise a new pending delivery is made. Idempotent: an event already
 * routed to a channel (its own delivery, or merged into one) is skipped, so routing again after a
 * crash adds nothing. Returns how many channels it was newly routed to.
 */
export function routeEvent(db: Kysely<Database>, event: Pick<OutboxEvent, "id" | "type" | "environment" | "subject">): Promise<number> {
  return inTransaction(db, async (trx) => {
    const channels = await sql<{ id: string }>`
      select distinct c.id from subscriptions s join channels c on c.id = s.channel_id
      where c.enabled
        and (cardinality(s.event_types) = 0 or ${event.type} = any(s.event_types))
        and (cardinality(s.environments) = 0 or ${event.environment}::text = any(s.environments))
      order by c.id`.execute(trx);
    let routed = 0;
    for (const { id: channelId } of channels.rows) {
      const known = await sql<{ n: number }>`
        select count(*)::int as n from deliveries where channel_id = ${channelId} and (event_id = ${event.id} or ${event.id} = any(merged_event_ids))`.execute(trx);
      if (Number(known.rows[0]!.n) > 0) continue;
      const merged = await sql`
        update deliveries set merged_event_ids = array_append(merged_event_ids, ${event.id}::text)
        where id = (
          select d.id from deliveries d join outbox o on o.id = d.event_id
          where d.channel_id = ${channelId} and d.status = 'pending' and d.attempts = 0 and d.claimed_until is null
            and o.type = ${event.type} and o.environment is not distinct from ${event.environment}::text and o.subject = ${event.subject}
          order by d.seq limit 1 for update skip locked)
          and attempts = 0 and claimed_until is null`.execute(trx);
      if (Number(merged.numAffectedRows ?? 0) === 0) {
        await trx.insertInto("deliveries").values({ id: "dlv_" + randomUUID().replaceAll("-", ""), event_id: event.id, channel_id: channelId }).onConflict((oc) => oc.columns(["event_id", "channel_id"]).doNothing()).execute();
      }
      routed++;
    }
    return routed;
  });
}
