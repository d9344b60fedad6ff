// A throwaway database on the local PostgreSQL (KEYWARD_TEST_PG_ADMIN_URL), migrated, dropped after.
import { randomBytes } from "node:crypto";
import { connectPostgres, migrateToLatest, type KeywardDatabase } from "@keyward/db";
import { sql } from "kysely";

export const ADMIN_URL = process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface ThrowawayDatabase {
  kdb: KeywardDatabase;
  /** Its connection URL, for a second pool or a tool of a benchmark's own. */
  url: string;
  /** Closes the pool and drops the database (forcing out any backend still attached). */
  drop(): Promise<void>;
}

/** Creates `keyward_bench_<random>`, connects a pool of `max` and migrates it. */
export async function createThrowawayDatabase(options: { max?: number } = {}): Promise<ThrowawayDatabase> {
  const dbName = `keyward_bench_${randomBytes(6).toString("hex")}`;
  const admin = connectPostgres(ADMIN_URL, { max: 1 });
  await sql.raw(`create database ${dbName}`).execute(admin.db);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const kdb = connectPostgres(url.toString(), { max: options.max ?? 10 });
  const drop = async () => {
    await kdb.close();
    // pg's pool.end() resolves before its sockets close: wait for them rather than kill them (a killed
    // connection surfaces as an unhandled 57P01 error), then force whatever is left.
    for (let i = 0; i < 40; i++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = ${dbName}`.execute(admin.db);
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin.db);
    await admin.close();
  };
  try {
    await migrateToLatest(kdb.db);
  } catch (error) {
    await drop();
    throw error;
  }
  return { kdb, url: url.toString(), drop };
}
