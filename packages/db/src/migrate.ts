import type { Kysely } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import { KeywardError } from "@keyward/common";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

/** A migrator over Keyward's migration tables, with every migration or the given ones (tests move between versions with it). */
export function keywardMigrator(db: Kysely<any>, only: Record<string, Migration> = migrations): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => only }, migrationTableName: "keyward_migrations", migrationLockTableName: "keyward_migrations_lock" });
}

/** Runs every pending migration; returns the names it applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = keywardMigrator(db);
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new KeywardError("internal", `migration ${failed?.migrationName ?? "(unknown)"} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
