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
    // A server of the previous release, during a rolling upgrade, moves current_version without these
    // columns. It sets updated_at to the new version's time, so its writes are told apart from this
    // release's (which set last_rotated_at to that same time) and the columns are copied from the new
    // version after the statement, when its sibling INSERT is visible. This release's writes never
    // call the function: the WHEN clause is false for them.
    await sql`create function keyward_secret_current_version_copy() returns trigger language plpgsql as $$
      begin
        update secrets s set last_rotated_at = v.created_at, metadata_json = v.metadata_json
          from secret_versions v where s.id = new.id and v.secret_id = new.id and v.version = new.current_version;
        return null;
      end $$`.execute(db);
    await sql`create trigger keyward_secrets_previous_release_write after update of current_version on secrets for each row
      when (new.current_version <> old.current_version and new.last_rotated_at is not distinct from old.last_rotated_at
        and new.updated_at is distinct from old.last_rotated_at)
      execute function keyward_secret_current_version_copy()`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop trigger keyward_secrets_previous_release_write on secrets`.execute(db);
    await sql`drop function keyward_secret_current_version_copy()`.execute(db);
    await sql`alter table secrets drop column last_rotated_at, drop column metadata_json`.execute(db);
  },
};
