import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #13: in a protected environment a change waits as a change request until other people
// approve it. A set-value's value is held sealed like a value (never in clear) and its ciphertext is
// set to null when the request is rejected, expires or is applied. Each environment says how many
// approvals besides the requester's it needs and how long a request stays open.
export const changeRequests: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table environments add column approvals_required integer not null default 1 check (approvals_required >= 1)`.execute(db);
    await sql`alter table environments add column change_request_ttl_seconds integer not null default 86400 check (change_request_ttl_seconds > 0)`.execute(db);
    await sql`create table change_requests (
      id text primary key,
      environment_id text not null references environments (id) on delete cascade,
      kind text not null check (kind in ('token.approve', 'access.grant', 'secret.set_value', 'secret.rollback', 'secret.disable', 'environment.unprotect')),
      target text not null,
      payload jsonb not null default '{}'::jsonb,
      ciphertext bytea,
      wrapped_key bytea,
      key_id text,
      requested_by text not null,
      requested_by_owner text,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'expired', 'applied')),
      approvals_required integer not null check (approvals_required >= 1),
      approvals jsonb not null default '[]'::jsonb,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      decided_at timestamptz,
      decided_by text,
      check ((ciphertext is null) = (wrapped_key is null) and (ciphertext is null) = (key_id is null)),
      check (status in ('pending', 'approved') or ciphertext is null)
    )`.execute(db);
    await sql`create index change_requests_by_time on change_requests (created_at desc, id desc)`.execute(db);
    await sql`create index change_requests_pending on change_requests (expires_at) where status = 'pending'`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table change_requests`.execute(db);
    await sql`alter table environments drop column change_request_ttl_seconds`.execute(db);
    await sql`alter table environments drop column approvals_required`.execute(db);
  },
};
