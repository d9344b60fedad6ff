import type { Kysely } from "kysely";
import { inTransaction } from "../transaction.js";
import type { Database } from "../../schema.js";

/**
 * Deletes a secret's row and versions in one environment, and revokes every access request for its
 * name there in the same transaction, so a secret created later under that name starts with no
 * grants. The definition goes too once no environment has a row of that name.
 */
export async function deleteSecret(db: Kysely<Database>, input: { environmentId: string; name: string; actor: string; at: Date }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx.deleteFrom("secrets").where("name", "=", input.name).where("environment_id", "=", input.environmentId).returning("id").executeTakeFirst();
    if (!deleted) return false;
    await trx
      .updateTable("access_requests")
      .set({ status: "revoked", decided_at: input.at, decided_by: input.actor })
      .where("secret_name", "=", input.name)
      .where("environment_id", "=", input.environmentId)
      .where("status", "!=", "revoked")
      .execute();
    await trx
      .deleteFrom("secret_definitions")
      .where("name", "=", input.name)
      .where((eb) => eb.not(eb.exists(eb.selectFrom("secrets").select("id").where("secrets.name", "=", input.name))))
      .execute();
    return true;
  });
}
