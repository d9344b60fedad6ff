import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll } from "vitest";
import { connectPostgres, migrateToLatest, wrapPglite, type KeywardDatabase } from "../src/index.js";

const ADMIN_URL = process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
let template: Promise<PGlite> | undefined;

/** A migrated PGlite, cloned from one template so each test starts clean without a 3 s cold start. */
export async function freshPglite(): Promise<KeywardDatabase> {
  template ??= (async () => {
    const t = await PGlite.create();
    const wrapped = wrapPglite(t);
    await migrateToLatest(wrapped.db);
    return t;
  })();
  const clone = (await (await template).clone()) as PGlite;
  return wrapPglite(clone);
}

const created: string[] = [];
/** A new, migrated database on the machine's real PostgreSQL, dropped after the file's tests. */
export async function freshPostgres(): Promise<KeywardDatabase> {
  return (await freshPostgresWithUrl()).database;
}

/** Like freshPostgres, with the URL, for tests that open a second connection or process. */
export async function freshPostgresWithUrl(): Promise<{ database: KeywardDatabase; url: string }> {
  const name = `keyward_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  created.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const kdb = connectPostgres(url.toString(), { max: 4 });
  await migrateToLatest(kdb.db);
  return { database: kdb, url: url.toString() };
}

afterAll(async () => {
  if (created.length === 0) return;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  for (const name of created.splice(0)) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

export const backends = [
  ["pglite", freshPglite],
  ["postgres", freshPostgres],
] as const;
