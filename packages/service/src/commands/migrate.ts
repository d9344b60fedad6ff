import { type CommandIo, loadServiceConfig, runCommand, UsageError } from "@keyward/common";
import { connectDatabase, migrateToLatest } from "@keyward/db";

export const MIGRATE_HELP = `Usage: keyward-service migrate [--data-dir DIR]

Applies every pending database migration and exits; "start" does the same on startup, so this is
for deployments that migrate as a separate step (e.g. a release job before rolling replicas).
Uses DATABASE_URL when set, else the embedded PGlite in <data-dir>/pglite.
`;

export function runMigrateCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, MIGRATE_HELP, { "data-dir": { type: "string" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`migrate takes no arguments, got "${positionals.join(" ")}"`);
    const config = loadServiceConfig(values["data-dir"] ? { ...io.env, KEYWARD_DATA_DIR: values["data-dir"] } : io.env);
    const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements });
    try {
      const applied = await migrateToLatest(database.db);
      io.stdout.write(applied.length === 0 ? "The database is up to date; nothing to apply.\n" : `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}\n`).join("")}`);
      return 0;
    } finally {
      await database.close();
    }
  });
}
