import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Who a fresh migration names as the creator of the environments it makes. */
export const SEED_CREATOR = "system:migration";

/** How many environments someone other than a fresh migration created (an empty instance has none). */
export async function countNonSeedEnvironments(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from environments where created_by <> ${SEED_CREATOR}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
