import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { createColumnTrigramIndexes, trigramsAvailable } from "./0560-scale-indexes.js";

// Issue #18: a search matches a secret's name or its description. With one trigram index per column
// (0560) that was two bitmap index scans OR'd together, each reading the posting lists of every
// trigram in the query; one index over name, newline, description serves the same search with one
// scan, and a definition write maintains one index instead of two. The expression is exactly the one
// definitionMatches (queries/secrets/search-text.ts) sends. Where pg_trgm cannot be had (PGlite, a
// server without contrib), search stays a scan, as before.
const combined = sql`create index secret_definitions_search_trgm on secret_definitions using gin ((name || E'\\n' || description) gin_trgm_ops)`;

export const definitionSearchIndex: Migration = {
  async up(db: Kysely<any>) {
    if (!(await trigramsAvailable(db))) return;
    await sql`create extension if not exists pg_trgm`.execute(db);
    await combined.execute(db);
    await sql`drop index if exists secret_definitions_name_trgm`.execute(db);
    await sql`drop index if exists secret_definitions_description_trgm`.execute(db);
  },
  async down(db: Kysely<any>) {
    const { rows } = await sql<{ installed: boolean }>`select exists (select 1 from pg_extension where extname = 'pg_trgm') as installed`.execute(db);
    await sql`drop index if exists secret_definitions_search_trgm`.execute(db);
    if (!rows[0]!.installed) return;
    await createColumnTrigramIndexes(db);
  },
};
