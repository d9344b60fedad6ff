import type { Kysely } from "kysely";
import type { Database, Secret } from "../../schema.js";

export async function getSecretByName(db: Kysely<Database>, name: string): Promise<Secret | undefined> {
  return db.selectFrom("secrets").selectAll().where("name", "=", name).executeTakeFirst();
}
