import type { Kysely } from "kysely";
import { inTransaction } from "../transaction.js";
import type { Database } from "../../schema.js";

/**
 * Deletes a secret and its versions, and revokes every access request for its name in the same
 * transaction, so a secret created later under that name starts with no grants.
 */
export async function deleteSecret(db: Kysely<Database>, input: { name: string; actor: string; at: Date }): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx.deleteFrom("secrets").where("name", "=", input.name).returning("id").executeTakeFirst();
    if (!deleted) return false;
    await trx
      .updateTable("access_requests")
      .set({ status: "revoked", decided_at: input.at, decided_by: input.actor })
      .where("secret_name", "=", input.name)
      .where("status", "!=", "revoked")
      .execute();
    return true;
  });
}
