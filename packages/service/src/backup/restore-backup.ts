import { KeywardError } from "@keyward/common";
import type { Kysely, Transaction } from "kysely";
import {
  ALL_TABLES,
  countArchivedAuditPartitions,
  appliedMigrations,
  BACKUP_TABLES,
  countNonSeedEnvironments,
  countRows,
  deleteSeedEnvironments,
  insertArchivedAuditPartitions,
  insertRows,
  migrateToLatest,
  resetAuditSequence,
  setUserTriggers,
  tableColumns,
  type Database,
  type KeywardDatabase,
} from "@keyward/db";
import { DAMAGED_OR_WRONG_KEY } from "./content-key.js";
import type { BackupTableHeader } from "./format.js";
import { readBody, type OpenedArchive } from "./read-backup.js";
import { decodeRow } from "./row-codec.js";

const INSERT_ROWS = 500;

/** Refuses a database that holds anything but the environments a fresh migration makes, naming every table with rows. */
async function assertEmpty(db: Kysely<Database>): Promise<void> {
  const found: string[] = [];
  for (const table of ALL_TABLES) {
    // A fresh migration makes environments and audit_log's first partitions; only more is data.
    const n = table === "environments" ? await countNonSeedEnvironments(db) : table === "audit_partitions" ? await countArchivedAuditPartitions(db) : await countRows(db, table);
    if (n > 0) found.push(`${table} has ${n} row(s)`);
  }
  if (found.length > 0) throw new KeywardError("conflict", `the target database is not empty (${found.join(", ")}); restore only into a new, empty instance`);
}

/** Migrates the target and refuses anything but an empty database of the archive's schema, naming what differs. */
export async function prepareTarget(database: KeywardDatabase, archive: OpenedArchive): Promise<void> {
  await migrateToLatest(database.db);
  const applied = await appliedMigrations(database.db);
  const theirs = archive.header.migrations;
  const newer = theirs.filter((m) => !applied.includes(m));
  if (newer.length > 0) throw new KeywardError("conflict", `the archive was made by a newer Keyward (migration ${newer.join(", ")}); restore it with that version`);
  const older = applied.filter((m) => !theirs.includes(m));
  if (older.length > 0) {
    throw new KeywardError("conflict", `the archive was made by an older Keyward (before migration ${older[0]}); restore it with the version that made it, then upgrade`);
  }
  await assertEmpty(database.db);
  const wanted = new Set<string>(BACKUP_TABLES);
  for (const table of archive.header.tables) {
    if (!wanted.has(table.name)) throw new KeywardError("invalid_argument", `the archive holds a table this Keyward does not restore: ${table.name}`);
    const here = (await tableColumns(database.db, table.name)).map((c) => `${c.name}:${c.type}`).join(",");
    if (here !== table.columns.map((c) => `${c.name}:${c.type}`).join(",")) throw new KeywardError("conflict", `table ${table.name} has other columns here than in the archive`);
  }
}

/**
 * Loads the archive in one transaction: the rows of every table, then the audit sequence, then
 * `finish` (which verifies the chain and appends the restore's own audit row, or throws to roll
 * back). It commits only after GCM verified the whole file and every table's row count matched the
 * header; otherwise nothing is written. Table triggers stay off meanwhile (restored rows are history).
 */
export async function loadArchive<T>(
  database: KeywardDatabase,
  archive: OpenedArchive,
  contentKey: Buffer,
  progress: (line: string) => void,
  finish: (trx: Transaction<Database>) => Promise<T>,
): Promise<{ counts: Record<string, number>; finished: T }> {
  const tables = new Map<string, BackupTableHeader>(archive.header.tables.map((t) => [t.name, t]));
  const counts: Record<string, number> = {};
  try {
    const finished = await database.db.transaction().execute(async (trx) => {
      // Turning the triggers off locks each table (ACCESS EXCLUSIVE): checked again under the locks,
      // no writer can have slipped in since prepareTarget.
      for (const name of BACKUP_TABLES) await setUserTriggers(trx, name, false);
      await assertEmpty(trx);
      await deleteSeedEnvironments(trx);
      let table: BackupTableHeader | undefined;
      let batch: Record<string, unknown>[] = [];
      let ended = false;
      const flush = async () => {
        if (!table || batch.length === 0) return;
        const rows = batch;
        batch = [];
        const columns = table.columns.map((c) => c.name);
        if (table.name === "audit_partitions") await insertArchivedAuditPartitions(trx, columns, rows);
        else await insertRows(trx, table.name, columns, rows);
      };
      const close = async () => {
        await flush();
        if (!table) return;
        if (counts[table.name] !== table.rows) throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
        progress(`  ${table.name}: ${table.rows} row(s)`);
      };
      for await (const line of readBody(archive, contentKey)) {
        if (ended) throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
        if (line.section === "table" || line.section === "end") {
          await close();
          if (line.section === "end") {
            ended = true;
            continue;
          }
          table = tables.get(String(line.name));
          if (!table || table.name in counts) throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
          counts[table.name] = 0;
          continue;
        }
        if (!table) throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
        batch.push(decodeRow(line, table.columns));
        counts[table.name]!++;
        if (batch.length >= INSERT_ROWS) await flush();
        if (counts[table.name]! % 50_000 === 0) progress(`  ${table.name}: ${counts[table.name]}/${table.rows} rows`);
      }
      // The loop ends only when GCM verified the file.
      if (!ended || Object.keys(counts).length !== tables.size) throw new KeywardError("crypto", DAMAGED_OR_WRONG_KEY);
      for (const name of BACKUP_TABLES) await setUserTriggers(trx, name, true);
      await resetAuditSequence(trx);
      return finish(trx);
    });
    return { counts, finished };
  } catch (error) {
    if (error instanceof KeywardError && error.message === DAMAGED_OR_WRONG_KEY) throw new KeywardError("crypto", `${DAMAGED_OR_WRONG_KEY}; nothing was written`);
    throw error;
  }
}
