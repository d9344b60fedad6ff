import type { Kysely } from "kysely";
import type { Database, Job } from "../../schema.js";

/** Every job's state (last run, next run, last error, who holds it), by name. */
export function listJobs(db: Kysely<Database>): Promise<Job[]> {
  return db.selectFrom("jobs").selectAll().orderBy("name").execute();
}

export function getJob(db: Kysely<Database>, name: string): Promise<Job | undefined> {
  return db.selectFrom("jobs").selectAll().where("name", "=", name).executeTakeFirst();
}
