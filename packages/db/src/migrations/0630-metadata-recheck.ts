import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Metadata derived by validators found to leak by property tests (2026-12-03), checked again at the
// next start by cleanStoredMetadata (migration 0620): a database-url whose password holds a comma was
// read as a MongoDB member list (its user name became the host, part of its password the port), and
// an ssh-private-key's key type could carry arbitrary bytes of the key's body. Only those types'
// versions that carry metadata are marked unchecked again.
export const metadataRecheck: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      update secret_versions v set metadata_version = 1
      from secrets s join secret_definitions d on d.name = s.name
      where s.id = v.secret_id and d.type in ('database-url', 'ssh-private-key') and v.metadata_json is not null and v.metadata_version >= 2
    `.execute(db);
  },
  async down() {
    // Nothing to undo: a version marked unchecked is checked again, and its metadata stays right.
  },
};
