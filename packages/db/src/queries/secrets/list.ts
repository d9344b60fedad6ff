import type { Kysely } from "kysely";
import type { Database, Secret, SecretStatus } from "../../schema.js";

/** Keyset pagination by name: pass the last name of a page as `after`. Never selects values. */
export async function listSecrets(
  db: Kysely<Database>,
  options: { after?: string; limit?: number; status?: SecretStatus } = {},
): Promise<Secret[]> {
  let q = db.selectFrom("secrets").selectAll().orderBy("name").limit(Math.min(options.limit ?? 100, 500));
  if (options.after !== undefined) q = q.where("name", ">", options.after);
  if (options.status !== undefined) q = q.where("status", "=", options.status);
  return q.execute();
}
