import type { Kysely } from "kysely";
import type { Database, Subscription } from "../../schema.js";

export type NamedSubscription = Subscription & { channel_name: string };

/** Every subscription with its channel's name, by channel then age. */
export function listSubscriptions(db: Kysely<Database>): Promise<NamedSubscription[]> {
  return db
    .selectFrom("subscriptions as s")
    .innerJoin("channels as c", "c.id", "s.channel_id")
    .selectAll("s")
    .select("c.name as channel_name")
    .orderBy("c.name")
    .orderBy("s.created_at")
    .orderBy("s.id")
    .execute();
}

/**
 * Removes a subscription; answers what it was (for the audit row), or undefined when there is none.
 * One statement: of two removals at once, only the one whose delete took the row answers it.
 */
export async function deleteSubscription(db: Kysely<Database>, id: string): Promise<NamedSubscription | undefined> {
  return db
    .with("d", (q) => q.deleteFrom("subscriptions").where("id", "=", id).returningAll())
    .selectFrom("d")
    .innerJoin("channels as c", "c.id", "d.channel_id")
    .selectAll("d")
    .select("c.name as channel_name")
    .executeTakeFirst();
}
