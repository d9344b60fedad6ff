import { randomBytes } from "node:crypto";
import { connectPostgres, type KeywardDatabase } from "@keyward/db";
import { sql } from "kysely";

const ADMIN_URL = process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A new, empty database on the local PostgreSQL, for one benchmark; `drop()` closes and removes it. */
export async function throwawayDatabase(options: { max?: number } = {}): Promise<{ url: string; database: KeywardDatabase; drop(): Promise<void> }> {
  const name = `keyward_bench_${randomBytes(6).toString("hex")}`;
  const admin = connectPostgres(ADMIN_URL, { max: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = connectPostgres(url.toString(), { max: options.max ?? 10 });
  return {
    url: url.toString(),
    database,
    async drop() {
      await database.close();
      // Not WITH (FORCE): a pool's last backends may still be exiting; wait for them instead.
      for (let attempt = 0; ; attempt++) {
        try {
          await sql`drop database if exists ${sql.id(name)}`.execute(admin.db);
          break;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await admin.close();
    },
  };
}
