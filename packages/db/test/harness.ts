import { afterAll } from "vitest";
import type { KeywardDatabase } from "../src/index.js";
import { createPgliteTemplate, createPostgresTestDatabases } from "../src/testing.js";

/** A migrated PGlite, cloned from one template so each test starts clean without a 3 s cold start. */
export const freshPglite: () => Promise<KeywardDatabase> = createPgliteTemplate();

const postgres = createPostgresTestDatabases({ prefix: "keyward_test" });
afterAll(() => postgres.dropAll());

/** A new, migrated database on the machine's real PostgreSQL, dropped after the file's tests. */
export async function freshPostgres(): Promise<KeywardDatabase> {
  return (await freshPostgresWithUrl()).database;
}

/** Like freshPostgres, with the URL, for tests that open a second connection or process. */
export async function freshPostgresWithUrl(): Promise<{ database: KeywardDatabase; url: string }> {
  const database = await postgres.fresh();
  return { database, url: database.url };
}

export const backends = [
  ["pglite", freshPglite],
  ["postgres", freshPostgres],
] as const;
