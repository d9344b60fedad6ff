import type { EventType, OutboxEvent } from "@keyward/db";

/** What every channel sends: built from the event's names and link only, so no value can be in it. */
export interface EventMessage {
  id: string;
  type: string;
  environment: string | null;
  subject: string;
  title: string;
  /** The console page that acts on it, absolute. */
  url: string;
  createdAt: string;
  data: Record<string, unknown>;
  /** How many identical events this message stands for (a burst is sent once, with a count). */
  count: number;
}

const titles: Record<EventType, (e: OutboxEvent) => string> = {
  "token.pending": (e) => `Service ${e.subject} is waiting for its token to be approved`,
  "access.requested": (e) => `Access requested: ${e.subject}`,
  "secret.stub_created": (e) => `Secret ${e.subject} is expected but has no value`,
  "rotation.due": (e) => `Rotation due: ${e.subject}`,
  "rotation.overdue": (e) => `Rotation overdue: ${e.subject}`,
  "delivery.failing": (e) => `Notifications to ${e.subject} are failing`,
  "change_request.created": (e) => `Change waiting for approval: ${e.subject}`,
  "change_request.applied": (e) => `Change approved and applied: ${e.subject}`,
  "change_request.rejected": (e) => `Change rejected: ${e.subject}`,
  "change_request.expired": (e) => `Change request expired unapproved: ${e.subject}`,
  "key.rotated": (e) => `A new key-encryption key is active: ${e.subject}`,
  "audit.verification_failed": (e) => `The audit log failed verification: ${e.subject}`,
  "credential.failed": (e) => `A stored credential failed its connection test: ${e.subject}`,
  "channel.test": (e) => `Test message for channel ${e.subject}: it works`,
};

export function eventMessage(event: OutboxEvent, consoleBaseUrl: string, count = 1): EventMessage {
  const base = (titles[event.type as EventType] ?? ((e: OutboxEvent) => `${e.type}: ${e.subject}`))(event);
  const withEnv = event.environment ? `${base} (${event.environment})` : base;
  const title = count > 1 ? `${withEnv} (×${count})` : withEnv;
  return {
    id: event.id,
    type: event.type,
    environment: event.environment,
    subject: event.subject,
    title,
    url: new URL(event.link, consoleBaseUrl).toString(),
    createdAt: event.created_at.toISOString(),
    data: event.data,
    count,
  };
}
