import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** A secret row with its definition's shared fields: the shape every secret query returns (`Secret`). */
export function selectSecrets(db: Kysely<Database>) {
  return db
    .selectFrom("secrets")
    .innerJoin("secret_definitions as d", "d.name", "secrets.name")
    .selectAll("secrets")
    .select(["d.description", "d.type", "d.rotation_days", "d.reminder_days", "d.source", "d.rules_json"])
    // The current version's derived metadata (issue #17): what the admin API shows beside the secret.
    .select(sql<string | null>`(select v.metadata_json from secret_versions v where v.secret_id = secrets.id and v.version = secrets.current_version)`.as("metadata_json"));
}
