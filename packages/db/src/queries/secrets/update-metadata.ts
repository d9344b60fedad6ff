import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** Changes a secret's description, type or rotation period; false when there is no such secret. */
export async function updateSecretMetadata(
  db: Kysely<Database>,
  input: { name: string; description?: string; type?: string; rotationDays?: number; actor: string; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("secrets")
    .set({
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.type === undefined ? {} : { type: input.type }),
      ...(input.rotationDays === undefined ? {} : { rotation_days: input.rotationDays }),
      updated_at: input.at,
      updated_by: input.actor,
    })
    .where("name", "=", input.name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
