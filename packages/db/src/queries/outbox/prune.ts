import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";

/**
 * Retention for notifications, so the outbox and the delivery history do not grow without bound:
 * removes deliveries finished (delivered or dead) before `before`, then dispatched events from
 * before it that no remaining delivery refers to (as its event or a merged one), and cooldown marks
 * last sent before `cooldownsBefore`. Pending work is never touched. Returns what it removed.
 */
export function pruneNotifications(db: Kysely<Database>, input: { before: Date; cooldownsBefore: Date }): Promise<{ deliveries: number; events: number; cooldowns: number }> {
  return inTransaction(db, async (trx) => {
    const deliveries = await trx.deleteFrom("deliveries").where("status", "in", ["delivered", "dead"]).where("created_at", "<", input.before).executeTakeFirst();
    const events = await sql`
      delete from outbox o where o.status = 'dispatched' and o.created_at < ${input.before}
        and not exists (select 1 from deliveries d where d.event_id = o.id or o.id = any(d.merged_event_ids))`.execute(trx);
    const cooldowns = await trx.deleteFrom("notification_cooldowns").where("last_sent_at", "<", input.cooldownsBefore).executeTakeFirst();
    return { deliveries: Number(deliveries.numDeletedRows), events: Number(events.numAffectedRows ?? 0), cooldowns: Number(cooldowns.numDeletedRows) };
  });
}
