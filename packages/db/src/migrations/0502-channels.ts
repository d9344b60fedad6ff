import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #14: delivery channels, subscriptions and the delivery record.
// - `channels`: kind and its settings in clear (`config`: e.g. SMTP host, recipients, a webhook's
//   URL); its credentials (webhook signing secret, Slack webhook URL, SMTP password) sealed with
//   the envelope like values (AAD bound to the channel's id and credential version), never clear.
// - `subscriptions` route event types (and environments) to a channel; an empty list means all.
// - `deliveries`: one row per (event, channel) with its attempts and status; the event id is the
//   idempotency key the receiver sees, so a retry is never a second message to one that honours it.
export const channels: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table channels (
      id text primary key,
      name text not null unique,
      kind text not null check (kind in ('webhook', 'slack', 'email')),
      config jsonb not null default '{}'::jsonb,
      credentials_ciphertext bytea not null,
      credentials_wrapped_key bytea not null,
      credentials_key_id text not null,
      credentials_version integer not null default 1,
      enabled boolean not null default true,
      created_at timestamptz not null,
      created_by text not null
    )`.execute(db);
    await sql`create table subscriptions (
      id text primary key,
      channel_id text not null references channels (id) on delete cascade,
      event_types text[] not null default '{}',
      environments text[] not null default '{}',
      created_at timestamptz not null,
      created_by text not null
    )`.execute(db);
    await sql`create table deliveries (
      id text primary key,
      seq bigint generated always as identity unique,
      event_id text not null references outbox (id),
      channel_id text not null references channels (id) on delete cascade,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      claimed_until timestamptz,
      last_error text,
      last_status_code integer,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      unique (event_id, channel_id)
    )`.execute(db);
    await sql`create index deliveries_pending on deliveries (seq) where status = 'pending'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table deliveries`.execute(db);
    await sql`drop table subscriptions`.execute(db);
    await sql`drop table channels`.execute(db);
  },
};
