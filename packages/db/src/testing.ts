// Test databases for Keyward's own test suites (and for apps that test against Keyward), exported
// as "@keyward/db/testing" so it never ships in the main entry. Real databases, not fakes:
// clones of one migrated PGlite, and throwaway databases on a real PostgreSQL.
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { connectPostgres, wrapPglite, type KeywardDatabase } from "./connect.js";
import { migrateToLatest } from "./migrate.js";
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { getDefaultEnvironment } from "./queries/environments/get-default.js";

export { startListenBlackholeProxy, type ListenBlackholeProxy } from "./testing/listen-blackhole-proxy.js";
export { scaleGrantIndexes, seedScale, type ScaleSeed, type ScaleSeedOptions, type ScaleSeedToken } from "./testing/seed-scale.js";
export { seedAuditLog, type AuditSeedOptions, type AuditSeedProgress, type AuditSeedResult } from "./testing/seed-audit.js";
export { createAuditRowSource, DEFAULT_AUDIT_SEED_POPULATION, type AuditRowSource, type AuditSeedPopulation } from "./testing/audit-seed-rows.js";

/** A migrated PGlite clone; `pglite` is the raw instance (a test may hold its lock or close it). */
export type TestPglite = KeywardDatabase & { pglite: PGlite };

/**
 * Returns a function that hands out fresh, migrated PGlite databases. `PGlite.create()` takes
 * seconds cold; the template is created and migrated once, on first use, and each call clones it.
 */
export function createPgliteTemplate(): () => Promise<TestPglite> {
  let template: Promise<PGlite> | undefined;
  return async () => {
    template ??= (async () => {
      const t = await PGlite.create();
      await migrateToLatest(wrapPglite(t).db);
      return t;
    })();
    const pglite = (await (await template).clone()) as PGlite;
    return Object.assign(wrapPglite(pglite), { pglite });
  };
}

export interface PostgresTestDatabases {
  /** The URL of a new database (migrated unless `migrate: false`). */
  freshUrl(options?: { migrate?: boolean }): Promise<string>;
  /** A new, migrated database and its URL. */
  fresh(options?: { max?: number }): Promise<KeywardDatabase & { url: string }>;
  /** Drops every database made here; call it from afterAll. */
  dropAll(): Promise<void>;
}

/** The PostgreSQL the tests may create databases on: `KEYWARD_TEST_PG_ADMIN_URL`, else the local one. */
export const testPostgresAdminUrl = (): string => process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Throwaway databases named `<prefix>_<random>` on a real PostgreSQL. */
export function createPostgresTestDatabases(options: { prefix: string; adminUrl?: string }): PostgresTestDatabases {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(options.prefix)) throw new Error(`prefix must be a lower-case identifier, got "${options.prefix}"`);
  const adminUrl = options.adminUrl ?? testPostgresAdminUrl();
  const created: string[] = [];

  const freshUrl = async ({ migrate = true }: { migrate?: boolean } = {}) => {
    const name = `${options.prefix}_${randomBytes(6).toString("hex")}`;
    await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    if (migrate) {
      const kdb = connectPostgres(url.toString(), { max: 1 });
      try {
        await migrateToLatest(kdb.db);
      } finally {
        await kdb.close();
      }
    }
    return url.toString();
  };

  return {
    freshUrl,
    async fresh({ max = 4 } = {}) {
      const url = await freshUrl();
      return Object.assign(connectPostgres(url, { max }), { url });
    },
    async dropAll() {
      if (created.length === 0) return;
      await withAdmin(adminUrl, async (admin) => {
        for (const name of created.splice(0)) {
          // pg's pool.end() resolves before its sockets close: give them a moment rather than kill
          // them (a killed connection surfaces as an unhandled 57P01 error), then force.
          for (let i = 0; i < 40; i++) {
            const r = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
            if (r.rows[0]!.n === 0) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          await admin.query(`drop database if exists ${name} with (force)`);
        }
      });
    },
  };
}

export { findUnauditedChanges, type UnauditedChange } from "./unaudited-changes.js";
export { layoutPastAuditPartitions } from "./testing/past-partitions.js";

/** The id of a database's default environment (development on a fresh one), for tests that call the queries. */
export async function defaultEnvironmentId(db: Kysely<Database>): Promise<string> {
  return (await getDefaultEnvironment(db)).id;
}
