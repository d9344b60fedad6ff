import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../schema.js";

/** Of `subjects`, those not notified as `kind` since `since` (their cooldown has passed, or never sent). */
export async function subjectsOutOfCooldown(db: Kysely<Database>, kind: string, subjects: string[], since: Date): Promise<string[]> {
  if (subjects.length === 0) return [];
  const cooling = await db.selectFrom("notification_cooldowns").select("subject").where("kind", "=", kind).where("subject", "in", subjects).where("last_sent_at", ">", since).execute();
  const skip = new Set(cooling.map((r) => r.subject));
  return subjects.filter((s) => !skip.has(s));
}

/** Marks subjects as notified as `kind` at `at`, in the transaction that records their event. */
export async function markNotified(trx: Transaction<Database>, kind: string, subjects: string[], at: Date): Promise<void> {
  if (subjects.length === 0) return;
  await trx
    .insertInto("notification_cooldowns")
    .values(subjects.map((subject) => ({ kind, subject, last_sent_at: at })))
    .onConflict((oc) => oc.columns(["kind", "subject"]).doUpdateSet((eb) => ({ last_sent_at: eb.ref("excluded.last_sent_at") })))
    .execute();
}
