import type { Kysely } from "kysely";
import type { Database, OutboxEvent } from "../../schema.js";
import { claimDueRows } from "../claim-due.js";

/** Claims up to `limit` pending events due at `now` (see claimDueRows), oldest first. */
export async function claimOutboxEvents(db: Kysely<Database>, claim: { now: Date; limit: number; claimMs: number }): Promise<OutboxEvent[]> {
  const rows = await claimDueRows<OutboxEvent>(db, "outbox", claim);
  return rows.sort((a, b) => a.seq - b.seq);
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
