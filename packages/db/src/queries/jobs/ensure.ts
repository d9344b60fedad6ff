import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Creates the job's row on first sight (first run at `firstRunAt`); an existing row keeps its state and gets the current schedule text. */
export async function ensureJob(db: Kysely<Database>, job: { name: string; schedule: string; firstRunAt: Date }): Promise<void> {
  await db
    .insertInto("jobs")
    .values({ name: job.name, schedule: job.schedule, next_run_at: job.firstRunAt })
    .onConflict((oc) => oc.column("name").doUpdateSet({ schedule: job.schedule }))
    .execute();
}
