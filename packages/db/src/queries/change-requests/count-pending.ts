import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * How many change requests wait in an environment (pending and not yet past their expiry), under
 * the environment row's lock so two requests opened at once cannot both pass a cap. Call inside the
 * transaction that opens the next one.
 */
export async function countPendingChangeRequests(db: Kysely<Database>, input: { environmentId: string; at: Date }): Promise<number> {
  await db.selectFrom("environments").select("id").where("id", "=", input.environmentId).forUpdate().executeTakeFirst();
  const row = await db
    .selectFrom("change_requests")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("environment_id", "=", input.environmentId)
    .where("status", "=", "pending")
    .where("expires_at", ">", input.at)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
