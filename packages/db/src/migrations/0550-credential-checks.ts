import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #17: a credential's health per secret and environment (a secrets row is one environment's).
// `status` is the last finished check's outcome; `verifying_since` marks a check in flight, so the
// console can say "verifying" while the server waits on the target. A scheduled re-verification is
// opt-in per secret (`reverify_every_hours`); `next_check_at` is when the scheduler next takes it.
export const credentialChecks: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table credential_checks (
      secret_id text primary key references secrets(id) on delete cascade,
      status text not null default 'untested' check (status in ('untested', 'connected', 'error')),
      last_error text,
      last_error_code text,
      checked_at timestamptz,
      checked_by text,
      last_success_at timestamptz,
      verifying_since timestamptz,
      reverify_every_hours integer check (reverify_every_hours between 1 and 8760),
      next_check_at timestamptz
    )`.execute(db);
    await sql`create index credential_checks_due on credential_checks (next_check_at) where reverify_every_hours is not null`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table credential_checks`.execute(db);
  },
};
