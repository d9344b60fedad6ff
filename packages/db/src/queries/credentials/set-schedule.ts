import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Turns scheduled re-verification on (every `everyHours`, the first check due at once) or off (null).
 * Call it in the transaction that writes its audit row.
 */
export async function setCredentialSchedule(trx: Kysely<Database>, schedule: { secretId: string; everyHours: number | null; now: Date }): Promise<void> {
  const fields = { reverify_every_hours: schedule.everyHours, next_check_at: schedule.everyHours === null ? null : schedule.now };
  await trx
    .insertInto("credential_checks")
    .values({ secret_id: schedule.secretId, ...fields })
    .onConflict((oc) => oc.column("secret_id").doUpdateSet(fields))
    .execute();
}
