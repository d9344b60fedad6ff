import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Metadata with no part of the value in it: the oauth2-client, database-url and smtp validators once
// kept parts of a value in the clear-text metadata they derived (a token URL's query; a password
// with an unencoded / ? # @ that the URL parser split into the host, port or database). They no
// longer do, but versions stored before still carry that metadata (on the version, and on the
// secret's row for its current version, migration 0610).
// - `secret_versions.metadata_version`: 2 = the metadata was derived by (or checked against) the
//   current validators; 1 = not yet. The service re-derives the metadata of every version at 1 at
//   start (cleanStoredMetadata), then sets it to 2.
// - The default stays 1: a row written by code that does not set the column (a server of the
//   previous release during a rolling upgrade, whose validators still leak) is checked again at the
//   next start. This release's writes set 2 themselves when they derived the metadata or store none.
// - The partial index holds only the versions still to check, so a start with none left costs one
//   probe of an empty index.
export const metadataVersion: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table secret_versions add column metadata_version smallint not null default 1`.execute(db);
    await sql`create index secret_versions_metadata_unchecked on secret_versions (secret_id, version) where metadata_version < 2 and metadata_json is not null`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop index if exists secret_versions_metadata_unchecked`.execute(db);
    await sql`alter table secret_versions drop column metadata_version`.execute(db);
  },
};
