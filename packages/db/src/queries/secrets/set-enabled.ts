import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/**
 * Disables a secret in one environment (no service can read it) or enables it again: active when it has a value,
 * a stub when it has none. False when there is no such secret.
 */
export async function setSecretEnabled(db: Kysely<Database>, input: { environmentId: string; name: string; enabled: boolean; actor: string; at: Date }): Promise<boolean> {
  const status = input.enabled ? sql<"active" | "stub">`case when current_version > 0 then 'active' else 'stub' end` : sql<"disabled">`'disabled'`;
  const result = await db.updateTable("secrets").set({ status, updated_at: input.at, updated_by: input.actor }).where("name", "=", input.name).where("environment_id", "=", input.environmentId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
