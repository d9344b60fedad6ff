import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import type { JobLease } from "./claim.js";

/**
 * Records a run's outcome and its next run, and frees the lease, only while the lease is still
 * ours (fencing): false means the run lost its lease and another replica's run counts instead.
 */
export async function finishJob(
  db: Kysely<Database>,
  lease: JobLease,
  outcome: { finishedAt: Date; nextRunAt: Date; error?: string },
): Promise<boolean> {
  const r = await db
    .updateTable("jobs")
    .set((eb) => ({
      last_finished_at: outcome.finishedAt,
      last_status: outcome.error === undefined ? "ok" : "error",
      last_error: outcome.error ?? null,
      next_run_at: outcome.nextRunAt,
      run_count: eb("run_count", "+", 1),
      lease_owner: null,
      leased_until: null,
    }))
    .where("name", "=", lease.name)
    .where("lease_epoch", "=", lease.epoch)
    .where("lease_owner", "=", lease.owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
