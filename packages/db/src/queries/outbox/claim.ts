import { sql, type Kysely } from "kysely";
import type { Database, OutboxEvent } from "../../schema.js";

/**
 * Claims up to `limit` pending events that are due at `now` and not claimed by a live dispatcher
 * (claims expire by database time, so a crashed dispatcher's events come back). SKIP LOCKED lets
 * several dispatchers claim at once without waiting on or double-claiming each other's rows.
 */
export async function claimOutboxEvents(db: Kysely<Database>, claim: { now: Date; limit: number; claimMs: number }): Promise<OutboxEvent[]> {
  const rows = await sql<OutboxEvent>`
    update outbox set claimed_until = now() + ${claim.claimMs} * interval '1 millisecond', attempts = attempts + 1
    where id in (
      select id from outbox
      where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${claim.now})
        and (claimed_until is null or claimed_until < now())
      order by seq limit ${claim.limit}
      for update skip locked)
    returning *`.execute(db);
  return rows.rows.sort((a, b) => a.seq - b.seq);
}

/** The event was handed on: it is never claimed again. */
export async function markOutboxDispatched(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable("outbox").set({ status: "dispatched", dispatched_at: at, claimed_until: null, last_error: null }).where("id", "=", id).execute();
}

/** The attempt failed: the event waits until `retryAt`, with the error's text (no secrets: callers pass their own messages). */
export async function markOutboxFailed(db: Kysely<Database>, id: string, failure: { error: string; retryAt: Date }): Promise<void> {
  await db.updateTable("outbox").set({ claimed_until: null, last_error: failure.error.slice(0, 500), next_attempt_at: failure.retryAt }).where("id", "=", id).execute();
}

export function getOutboxEvent(db: Kysely<Database>, id: string): Promise<OutboxEvent | undefined> {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}

export function listOutboxEvents(db: Kysely<Database>, filter: { status?: "pending" | "dispatched" } = {}): Promise<OutboxEvent[]> {
  let q = db.selectFrom("outbox").selectAll();
  if (filter.status) q = q.where("status", "=", filter.status);
  return q.orderBy("seq").execute();
}
