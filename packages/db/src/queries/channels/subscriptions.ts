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

/** Removes a subscription; answers what it was (for the audit row), or undefined when there is none. */
export async function deleteSubscription(db: Kysely<Database>, id: string): Promise<NamedSubscription | undefined> {
  const found = await db
    .selectFrom("subscriptions as s")
    .innerJoin("channels as c", "c.id", "s.channel_id")
    .selectAll("s")
    .select("c.name as channel_name")
    .where("s.id", "=", id)
    .executeTakeFirst();
  if (!found) return undefined;
  await db.deleteFrom("subscriptions").where("id", "=", id).execute();
  return found;
}
