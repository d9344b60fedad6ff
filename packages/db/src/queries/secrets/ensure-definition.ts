import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Makes sure a definition exists for `name` (what every environment shares); an existing one is
 * left as it is, since another environment may rely on it.
 */
export async function ensureSecretDefinition(
  db: Kysely<Database>,
  input: { name: string; description?: string; type?: string; rotationDays?: number; reminderDays?: number; rulesJson?: string; actor: string; at: Date },
): Promise<void> {
  await db
    .insertInto("secret_definitions")
    .values({
      name: input.name,
      description: input.description ?? "",
      ...(input.type === undefined ? {} : { type: input.type }),
      ...(input.rotationDays === undefined ? {} : { rotation_days: input.rotationDays }),
      ...(input.reminderDays === undefined ? {} : { reminder_days: input.reminderDays }),
      ...(input.rulesJson === undefined ? {} : { rules_json: input.rulesJson }),
      created_at: input.at,
      created_by: input.actor,
      updated_at: input.at,
      updated_by: input.actor,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}
