import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, OutboxEvent, Subscription } from "../../schema.js";

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
 * Creates one pending delivery per enabled channel subscribed to the event (its type and, when the
 * subscription names environments, its environment). Idempotent: (event, channel) is unique, so
 * routing an event again after a crash adds nothing. Returns how many deliveries were new.
 */
export async function routeEvent(trx: Transaction<Database> | Kysely<Database>, event: Pick<OutboxEvent, "id" | "type" | "environment">): Promise<number> {
  const r = await sql`
    insert into deliveries (id, event_id, channel_id)
    select distinct on (c.id) 'dlv_' || replace(gen_random_uuid()::text, '-', ''), ${event.id}, c.id
    from subscriptions s join channels c on c.id = s.channel_id
    where c.enabled
      and (cardinality(s.event_types) = 0 or ${event.type} = any(s.event_types))
      and (cardinality(s.environments) = 0 or ${event.environment}::text = any(s.environments))
    on conflict (event_id, channel_id) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}
