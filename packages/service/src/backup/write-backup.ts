import fs from "node:fs";
import { once } from "node:events";
import { createCipheriv, randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { sql } from "kysely";
import { appliedMigrations, BACKUP_TABLES, countRows, primaryKeyColumns, readRowsPage, tableColumns, type AuditCheckpoint, type KeywardDatabase } from "@keyward/db";
import { encodePreamble, FORMAT_VERSION, type BackupHeader, type BackupTableHeader, type KeyWrap } from "./format.js";
import { encodeRow } from "./row-codec.js";

export const PAGE_ROWS = 1000;

export interface WriteBackupOptions {
  database: KeywardDatabase;
  /** The archive to create; refused if it exists. Written to FILE.partial and renamed when complete. */
  out: string;
  /** Wraps the fresh content key (to a passphrase or a recipient). */
  wrap: (contentKey: Buffer) => KeyWrap;
  checkpoint: AuditCheckpoint | null;
  host: string;
  now: Date;
  /** Progress lines (stderr): table by table, with row counts. */
  progress: (line: string) => void;
  /** Rows per read (default PAGE_ROWS). */
  pageRows?: number;
  /**
   * Records the backup (its audit row) once the archive is complete and before it appears under
   * `out`: if this fails, the archive is deleted, so no copy of everything exists unrecorded.
   */
  record?: (header: BackupHeader) => Promise<void>;
}

/** Writes the archive from one consistent snapshot of the database, streaming every table page by page. Returns the header. */
export async function writeBackup(options: WriteBackupOptions): Promise<BackupHeader> {
  const pageRows = options.pageRows ?? PAGE_ROWS;
  const partial = `${options.out}.partial`;
  let header: BackupHeader;
  try {
    header = await snapshot(options, partial, pageRows);
    await options.record?.(header);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  fs.renameSync(partial, options.out);
  return header;
}

/** The archive from one snapshot, into `partial` (complete, with its tag, when this resolves). */
function snapshot(options: WriteBackupOptions, partial: string, pageRows: number): Promise<BackupHeader> {
  const { database, progress } = options;
  const contentKey = randomBytes(32);
  const iv = randomBytes(12);
  // One snapshot: every table as of one moment, while the service may keep running (PostgreSQL).
  return database.db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      await sql`set transaction read only`.execute(trx);
      // row_to_json writes bytea in the session's bytea_output: make sure it is hex, as encodeRow reads it.
      await sql`set local bytea_output = 'hex'`.execute(trx);
      const tables: (BackupTableHeader & { key: string[] })[] = [];
      for (const name of BACKUP_TABLES) {
        tables.push({ name, rows: await countRows(trx, name), columns: await tableColumns(trx, name), key: await primaryKeyColumns(trx, name) });
      }
      const master = await sql<{ fingerprint: string }>`select fingerprint from master_key_settings where id = 1`.execute(trx);
      const header: BackupHeader = {
        format: "keyward-backup",
        version: FORMAT_VERSION,
        createdAt: options.now.toISOString(),
        source: { host: options.host, database: database.kind, masterKeyFingerprint: master.rows[0]?.fingerprint ?? null },
        migrations: await appliedMigrations(trx),
        tables: tables.map(({ name, rows, columns }) => ({ name, rows, columns })),
        checkpoint: options.checkpoint,
        encryption: { cipher: "aes-256-gcm", iv: iv.toString("base64"), key: options.wrap(contentKey) },
      };
      const preamble = encodePreamble(header);
      const file = fs.createWriteStream(partial, { mode: 0o600, flags: "w" });
      await once(file, "open");
      file.write(preamble);
      const cipher = createCipheriv("aes-256-gcm", contentKey, iv);
      cipher.setAAD(preamble);
      const gzip = createGzip();
      const done = pipeline(gzip, cipher, file);
      const write = async (value: unknown) => {
        if (!gzip.write(JSON.stringify(value) + "\n")) await Promise.race([once(gzip, "drain"), done]);
      };
      try {
        let total = 0;
        for (const table of tables) {
          await write({ section: "table", name: table.name });
          let after: unknown[] | undefined;
          let n = 0;
          for (;;) {
            const page = await readRowsPage(trx, table.name, table.key, after, pageRows);
            for (const row of page) await write(encodeRow(row, table.columns));
            n += page.length;
            if (page.length < pageRows) break;
            const last = page[page.length - 1]!;
            after = table.key.map((k) => last[k]);
            if (n % 50_000 < pageRows) progress(`  ${table.name}: ${n}/${table.rows} rows`);
          }
          progress(`  ${table.name}: ${n} row(s)`);
          total += n;
        }
        await write({ section: "end", rows: total });
        gzip.end();
        await done;
        fs.appendFileSync(partial, cipher.getAuthTag());
        return header;
      } catch (error) {
        gzip.destroy();
        await done.catch(() => undefined);
        throw error;
      }
    });
}
