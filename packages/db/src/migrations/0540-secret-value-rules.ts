import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #17: the server checks every value against its type and the rules the app's schema declares.
// - `secret_definitions.rules_json`: those rules (JSON Schema pattern, format, minLength, maxLength,
//   enum only) as a JSON object; null: none declared.
// - `secret_versions.metadata_json`: the non-secret facts the type's validator derived from the value
//   (a certificate's subject and notAfter, a key's algorithm and size, a DSN's host and database);
//   null for versions stored before this or without a check.
export const secretValueRules: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table secret_definitions add column rules_json text`.execute(db);
    await sql`alter table secret_versions add column metadata_json text`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table secret_versions drop column metadata_json`.execute(db);
    await sql`alter table secret_definitions drop column rules_json`.execute(db);
  },
};
