import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #14: the transactional outbox. An event row is inserted in the same transaction as the
// change that causes it, so a change commits with its event or neither exists; a dispatcher then
// hands each pending event on at least once, with its id as the idempotency key. Rows carry names,
// environments and console links, never a value or a token.
export const outbox: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table outbox (
      id text primary key,
      seq bigint generated always as identity unique,
      type text not null,
      environment text,
      subject text not null,
      link text not null,
      data jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      status text not null default 'pending' check (status in ('pending', 'dispatched')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      claimed_until timestamptz,
      last_error text,
      dispatched_at timestamptz
    )`.execute(db);
    await sql`create index outbox_pending on outbox (seq) where status = 'pending'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table outbox`.execute(db);
  },
};
