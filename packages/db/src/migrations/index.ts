import type { Migration, MigrationProvider } from "kysely/migration";
import { initial } from "./0001-initial.js";
import { adminKeys } from "./0002-admin-keys.js";

/** Migrations ship inside the bundle, so no files are read at run time. */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-admin-keys": adminKeys,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
