import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #18: the admin list and matrix pages showed each secret's current version's write time
// (last_rotated_at) and derived metadata by probing secret_versions' primary key once per row: at
// 100,000 secrets that was about half of a page's statement time (bench/README.md). Both now live
// on the secret's row, written by the same statement that moves current_version (set-value.ts,
// set-value-on-hint.ts), so a page reads one table fewer. Null for a stub (no version yet).
export const currentVersionColumns: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table secrets add column last_rotated_at timestamptz, add column metadata_json text`.execute(db);
    // The backfill changes no value or status: the change trigger's notifications would only make
    // every listening cache drop what it holds, so it is off for this statement (the migration's
    // transaction holds the table's lock, so no other write goes unannounced meanwhile).
    await sql`alter table secrets disable trigger keyward_secrets_changed`.execute(db);
    await sql`update secrets s set last_rotated_at = v.created_at, metadata_json = v.metadata_json
      from secret_versions v where v.secret_id = s.id and v.version = s.current_version`.execute(db);
    await sql`alter table secrets enable trigger keyward_secrets_changed`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table secrets drop column last_rotated_at, drop column metadata_json`.execute(db);
  },
};
