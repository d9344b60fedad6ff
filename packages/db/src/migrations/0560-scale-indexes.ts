import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #18: the admin pages stay index scans at 100,000 secrets and 10,000 tokens (EXPLAIN test in
// test/explain.test.ts).
// - Tokens and access requests are listed newest first per environment: an index in that order
//   replaces a sequential scan and sort of the whole table.
// - Search is a substring match (ILIKE '%q%') on a secret's name or description, which no B-tree
//   serves. Trigram GIN indexes do, where the pg_trgm extension can be had: already installed, or
//   available and creatable by this user (trusted since PostgreSQL 13, so a database owner may).
//   Elsewhere (PGlite, a server without contrib) search stays a scan, which is fine at their sizes;
//   the migration does not fail for it.
const trigramIndexes = ["secret_definitions_name_trgm", "secret_definitions_description_trgm"];

export async function trigramsAvailable(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ installed: boolean; creatable: boolean }>`select
      exists (select 1 from pg_extension where extname = 'pg_trgm') as installed,
      exists (select 1 from pg_available_extension_versions v where v.name = 'pg_trgm' and (v.trusted or (select rolsuper from pg_roles where rolname = current_user)))
        and has_database_privilege(current_database(), 'CREATE') as creatable`.execute(db);
  return rows[0]!.installed || rows[0]!.creatable;
}

/** One trigram index per searched column (0590 replaces them with one; its down restores these). */
export async function createColumnTrigramIndexes(db: Kysely<any>): Promise<void> {
  await sql`create index secret_definitions_name_trgm on secret_definitions using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index secret_definitions_description_trgm on secret_definitions using gin (description gin_trgm_ops)`.execute(db);
}

export const scaleIndexes: Migration = {
  async up(db: Kysely<any>) {
    await sql`create index service_tokens_by_time on service_tokens (environment_id, requested_at desc, id desc)`.execute(db);
    await sql`create index access_requests_by_time on access_requests (environment_id, requested_at desc, id desc)`.execute(db);
    if (await trigramsAvailable(db)) {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await createColumnTrigramIndexes(db);
    }
  },
  async down(db: Kysely<any>) {
    // The extension stays: it may have been there before, and other objects may use it.
    for (const index of [...trigramIndexes, "access_requests_by_time", "service_tokens_by_time"]) await sql`drop index if exists ${sql.id(index)}`.execute(db);
  },
};
