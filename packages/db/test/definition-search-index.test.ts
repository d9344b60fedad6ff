import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { keywardMigrator } from "../src/migrate.js";
import { definitionMatches } from "../src/queries/secrets/search-text.js";
import { freshPostgres } from "./harness.js";
import type { KeywardDatabase } from "../src/index.js";

const trigramIndexes = async (db: Kysely<any>): Promise<string[]> =>
  (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'secret_definitions' and indexdef like '%gin_trgm_ops%' order by 1`.execute(db)).rows.map((r) => r.name);

// Migration 0590 swaps 0560's two trigram indexes for one over name and description; down swaps back.
describe("migration 0590-definition-search-index on postgres", () => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  it("leaves one trigram index, down restores the two, and search finds the same either way", async () => {
    open = await freshPostgres();
    const db = open.db;
    const migrator = keywardMigrator(db);
    // The matrix's own search, on the definitions alone: the matrix's page also reads columns of later migrations.
    const search = async (q: string) => (await db.selectFrom("secret_definitions").select("name").where(definitionMatches("secret_definitions", q)).execute()).map((r) => r.name);
    expect(await trigramIndexes(db)).toEqual(["secret_definitions_search_trgm"]);
    const at = new Date("2026-01-01T00:00:00Z");
    await sql`insert into secret_definitions (name, description, created_at, created_by, updated_at, updated_by) values ('STRIPE_KEY', 'payments', ${at}, 't', ${at}, 't')`.execute(db);

    expect((await migrator.migrateTo("0580-admin-change-events")).error).toBeUndefined();
    expect(await trigramIndexes(db)).toEqual(["secret_definitions_description_trgm", "secret_definitions_name_trgm"]);
    expect(await search("payments")).toEqual(["STRIPE_KEY"]);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await trigramIndexes(db)).toEqual(["secret_definitions_search_trgm"]);
    expect(await search("stripe_k")).toEqual(["STRIPE_KEY"]);
    expect(await search("payments")).toEqual(["STRIPE_KEY"]);
    expect(await search("keypay")).toEqual([]);
  });
});
