import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";

/**
 * Changes a secret's description, type, rotation period or reminder window: its definition, shared by every
 * environment, so every environment's row records who changed it last. False when there is no
 * such secret.
 */
export async function updateSecretMetadata(
  db: Kysely<Database>,
  input: { name: string; description?: string; type?: string; rotationDays?: number; reminderDays?: number; actor: string; at: Date },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // Every environment's row first, then the definition: the order a value write takes its locks in
    // (its row, then the definition's, shared; see setSecretValue), so the two never deadlock, and a
    // write that waited for this change re-reads the definition it checks the value against.
    await trx.updateTable("secrets").set({ updated_at: input.at, updated_by: input.actor }).where("name", "=", input.name).execute();
    const result = await trx
      .updateTable("secret_definitions")
      .set({
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.type === undefined ? {} : { type: input.type }),
        ...(input.rotationDays === undefined ? {} : { rotation_days: input.rotationDays }),
        ...(input.reminderDays === undefined ? {} : { reminder_days: input.reminderDays }),
        updated_at: input.at,
        updated_by: input.actor,
      })
      .where("name", "=", input.name)
      .executeTakeFirst();
    // Without a definition there is no environment's row either (each references it): nothing changed.
    return Number(result.numUpdatedRows) > 0;
  });
}
