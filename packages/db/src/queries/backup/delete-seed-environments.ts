import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { SEED_CREATOR } from "./seed-environments.js";

/** Removes the environments a fresh migration made, so a restore brings the archive's own (with their ids). */
export async function deleteSeedEnvironments(db: Kysely<Database>): Promise<void> {
  await sql`delete from environments where created_by = ${SEED_CREATOR}`.execute(db);
}
