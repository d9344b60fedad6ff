import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

export interface JobLease {
  name: string;
  owner: string;
  /** The fencing token: renew and finish only succeed while the row still holds it. */
  epoch: number;
  /** When the run was due (the scheduler's clock), and the run's number. */
  dueAt: Date;
}

/**
 * Claims a job that is due at `now` (the scheduler's clock) and whose lease is free or expired by
 * the DATABASE's clock, so replicas with skewed clocks still agree on when a lease ends. One UPDATE:
 * under PostgreSQL's row lock only one of several replicas claiming at once sees the row still free.
 */
export async function claimJob(db: Kysely<Database>, claim: { name: string; owner: string; now: Date; leaseMs: number }): Promise<JobLease | undefined> {
  const row = await db
    .updateTable("jobs")
    .set({
      lease_owner: claim.owner,
      leased_until: sql<Date>`now() + ${claim.leaseMs} * interval '1 millisecond'`,
      lease_epoch: sql<number>`lease_epoch + 1`,
      last_started_at: claim.now,
    })
    .where("name", "=", claim.name)
    .where("next_run_at", "<=", claim.now)
    .where((eb) => eb.or([eb("leased_until", "is", null), eb("leased_until", "<", sql<Date>`now()`)]))
    .returning(["lease_epoch", "next_run_at"])
    .executeTakeFirst();
  return row ? { name: claim.name, owner: claim.owner, epoch: Number(row.lease_epoch), dueAt: row.next_run_at } : undefined;
}

/** Extends a lease that is still ours; false means another replica has taken the job over. */
export async function renewJobLease(db: Kysely<Database>, lease: JobLease, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable("jobs")
    .set({ leased_until: sql<Date>`now() + ${leaseMs} * interval '1 millisecond'` })
    .where("name", "=", lease.name)
    .where("lease_epoch", "=", lease.epoch)
    .where("lease_owner", "=", lease.owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
