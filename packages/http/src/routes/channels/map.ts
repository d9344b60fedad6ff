import type { DeliveryWithEvent, Job as JobRow, NamedSubscription, PublicChannel } from "@keyward/db";
import type { Channel, Delivery, EventType, Job, Subscription } from "@keyward/spec";
import { HttpProblem } from "../../problem.js";

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A channel as the spec shapes it: never its credentials (PublicChannel has none to give). */
export const toChannel = (c: PublicChannel): Channel => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  config: c.config as Channel["config"],
  credentialsVersion: c.credentials_version,
  enabled: c.enabled,
  createdAt: iso(c.created_at)!,
  createdBy: c.created_by,
});

export const toSubscription = (s: NamedSubscription): Subscription => ({
  id: s.id,
  channel: s.channel_name,
  eventTypes: s.event_types as EventType[],
  environments: s.environments,
  createdAt: iso(s.created_at)!,
  createdBy: s.created_by,
});

export const toDelivery = (d: DeliveryWithEvent): Delivery => ({
  id: d.id,
  eventId: d.event_id,
  eventType: d.type,
  subject: d.subject,
  environment: d.environment,
  status: d.status,
  attempts: d.attempts,
  count: 1 + d.merged_event_ids.length,
  lastError: d.last_error,
  lastStatusCode: d.last_status_code,
  createdAt: iso(d.created_at)!,
  deliveredAt: iso(d.delivered_at),
  nextAttemptAt: iso(d.next_attempt_at),
});

export const toJob = (j: JobRow): Job => ({
  name: j.name,
  schedule: j.schedule,
  nextRunAt: iso(j.next_run_at)!,
  lastStartedAt: iso(j.last_started_at),
  lastFinishedAt: iso(j.last_finished_at),
  lastStatus: j.last_status,
  lastError: j.last_error,
  runCount: j.run_count,
  leaseOwner: j.lease_owner,
  leasedUntil: iso(j.leased_until),
});

export const channelNotFound = (name: string) => new HttpProblem(404, "Channel not found", `no channel named ${name}`, "name");
