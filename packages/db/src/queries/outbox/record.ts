import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, EventType } from "../../schema.js";

export interface NewEvent {
  type: EventType;
  environment?: string | null;
  subject: string;
  link: string;
  /** Names and counts only; a value or token must never be passed here. */
  data?: Record<string, string | number | boolean | null | string[]>;
}

/**
 * Writes an event to the outbox inside the caller's transaction: it commits with the change that
 * caused it, or not at all. A handle that is not a transaction is refused (the admin API hands its
 * changes a transaction typed as Kysely, so this is checked at run time). Returns the event's id
 * (the idempotency key of its deliveries).
 */
export async function recordEvent(trx: Kysely<Database>, event: NewEvent): Promise<string> {
  if (!trx.isTransaction) throw new Error("recordEvent must be called with the transaction of the change that causes the event");
  const id = "evt_" + randomUUID().replaceAll("-", "");
  await trx
    .insertInto("outbox")
    .values({ id, type: event.type, environment: event.environment ?? null, subject: event.subject, link: event.link, data: JSON.stringify(event.data ?? {}) })
    .execute();
  return id;
}

/** Console links (the console's pages, /admin/<page>?…), in one place so events and the console agree. */
export const consoleLinks = {
  overview: () => "/admin/",
  audit: () => "/admin/audit",
  pendingTokens: (environment: string) => `/admin/tokens?status=pending&environment=${encodeURIComponent(environment)}`,
  approvals: (environment: string) => `/admin/approvals?environment=${encodeURIComponent(environment)}`,
  missing: (environment: string) => `/admin/missing?environment=${encodeURIComponent(environment)}`,
  /** Also written by the change-request trigger (migration 0520), which builds the same path in SQL. */
  changeRequests: (environment: string) => `/admin/change-requests?environment=${encodeURIComponent(environment)}`,
  secrets: (filter: Record<string, string>) => `/admin/secrets?${new URLSearchParams(filter).toString()}`,
};
