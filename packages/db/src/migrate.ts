import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { KeywardError } from "@keyward/common";
import { migrationProvider } from "./migrations/index.js";
import type { Database } from "./schema.js";

/** Runs every pending migration; returns the names it applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: "keyward_migrations", migrationLockTableName: "keyward_migrations_lock" });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new KeywardError("internal", `migration ${failed?.migrationName ?? "(unknown)"} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
