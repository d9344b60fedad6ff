import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** A secret row with its definition's shared fields: the shape every secret query returns (`Secret`). */
export function selectSecrets(db: Kysely<Database>) {
  return db
    .selectFrom("secrets")
    .innerJoin("secret_definitions as d", "d.name", "secrets.name")
    .selectAll("secrets")
    .select(["d.description", "d.type", "d.rotation_days", "d.reminder_days", "d.source", "d.rules_json"]);
}
