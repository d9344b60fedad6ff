import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #14: scheduled jobs that run once across replicas. One row per job holds its schedule state
// (next run, last run, last error) and a lease: the replica that moves `lease_epoch` on and sets
// `leased_until` runs the job; it renews the lease while running, and writes its result only while
// the epoch is still its own (a fencing token), so a paused leader that lost its lease changes nothing.
export const jobs: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table jobs (
      name text primary key,
      schedule text not null,
      next_run_at timestamptz not null,
      last_started_at timestamptz,
      last_finished_at timestamptz,
      last_status text check (last_status in ('ok', 'error')),
      last_error text,
      run_count integer not null default 0,
      lease_owner text,
      leased_until timestamptz,
      lease_epoch bigint not null default 0
    )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table jobs`.execute(db);
  },
};
