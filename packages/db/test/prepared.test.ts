import { afterAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { connectPostgres, executePrepared, isPreparedStatementError, PREPARED } from "../src/index.js";
import { createPostgresTestDatabases } from "../src/testing.js";

const databases = createPostgresTestDatabases({ prefix: "keyward_prepared" });
afterAll(() => databases.dropAll());

/** The statements prepared on the one connection of a pool of one. */
const preparedOnConnection = async (db: ReturnType<typeof connectPostgres>["db"]) =>
  (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by name`.execute(db)).rows;

describe("prepared statements on PostgreSQL", () => {
  it("knows the errors after which a name must not be used again, by code and routine, whatever the language", () => {
    const err = (code: string, routine?: string, message = "x") => Object.assign(new Error(message), { code, ...(routine ? { routine } : {}) });
    expect(isPreparedStatementError(err("0A000", "RevalidateCachedQuery", "le plan en cache ne doit pas modifier le type de résultat"))).toBe(true);
    expect(isPreparedStatementError(err("0A000", undefined, "cached plan must not change result type"))).toBe(true);
    expect(isPreparedStatementError(err("26000"))).toBe(true);
    expect(isPreparedStatementError(err("42P05"))).toBe(true);
    expect([isPreparedStatementError(err("0A000", "other")), isPreparedStatementError(err("40P01")), isPreparedStatementError("26000"), isPreparedStatementError(undefined)]).toEqual([false, false, false, false]);
  });

  it("prepares afresh after the session lost its statements (DEALLOCATE ALL, as a pooler's reset does)", async () => {
    const kdb = connectPostgres(await databases.freshUrl({ migrate: false }), { max: 1 });
    try {
      const marked = () => sql<{ n: number }>`${sql.raw(PREPARED)} select 7 as n, 'deallocate' as why`.execute(kdb.db);
      expect((await marked()).rows).toEqual([{ n: 7, why: "deallocate" }]);
      await sql`deallocate all`.execute(kdb.db);
      await expect(marked()).rejects.toMatchObject({ code: "26000" });
      expect((await marked()).rows).toEqual([{ n: 7, why: "deallocate" }]);
      expect((await preparedOnConnection(kdb.db)).map((p) => p.name)).toEqual([expect.stringMatching(/^kw_[0-9a-f]{20}_1$/)]);
    } finally {
      await kdb.close();
    }
  });

  it("prepares a marked statement once per connection and runs it by name; unmarked ones stay unnamed", async () => {
    const kdb = connectPostgres(await databases.freshUrl({ migrate: false }), { max: 1 });
    try {
      const marked = (n: number) => sql<{ twice: number }>`${sql.raw(PREPARED)} select ${n}::int * 2 as twice`.execute(kdb.db);
      expect((await marked(21)).rows).toEqual([{ twice: 42 }]);
      expect((await marked(5)).rows).toEqual([{ twice: 10 }]);
      await sql`select 1`.execute(kdb.db);
      const prepared = await preparedOnConnection(kdb.db);
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.name).toMatch(/^kw_[0-9a-f]{20}$/);
      expect(prepared[0]!.statement).toContain("select $1::int * 2 as twice");
    } finally {
      await kdb.close();
    }
  });

  it("prepares nothing with preparedStatements: false", async () => {
    const kdb = connectPostgres(await databases.freshUrl({ migrate: false }), { max: 1, preparedStatements: false });
    try {
      expect((await sql<{ twice: number }>`${sql.raw(PREPARED)} select ${4}::int * 2 as twice`.execute(kdb.db)).rows).toEqual([{ twice: 8 }]);
      expect(await preparedOnConnection(kdb.db)).toEqual([]);
    } finally {
      await kdb.close();
    }
  });

  it("recovers when a migration changes a prepared statement's result columns: one refusal, then a fresh statement", async () => {
    const url = await databases.freshUrl({ migrate: false });
    const kdb = connectPostgres(url, { max: 1 });
    const other = connectPostgres(url, { max: 1, preparedStatements: false });
    try {
      await sql`create table t (a int)`.execute(other.db);
      await sql`insert into t values (1)`.execute(other.db);
      const read = () => sql<Record<string, number>>`${sql.raw(PREPARED)} select * from t`.execute(kdb.db);
      expect((await read()).rows).toEqual([{ a: 1 }]);
      await sql`alter table t add column b int default 2`.execute(other.db);
      await expect(read()).rejects.toThrow(/cached plan must not change result type/);
      expect((await read()).rows).toEqual([{ a: 1, b: 2 }]);
      expect((await read()).rows).toEqual([{ a: 1, b: 2 }]);
      expect((await preparedOnConnection(kdb.db)).map((p) => p.name)).toEqual([expect.stringMatching(/^kw_[0-9a-f]{20}$/), expect.stringMatching(/^kw_[0-9a-f]{20}_1$/)]);
    } finally {
      await kdb.close();
      await other.close();
    }
  });

  it("executePrepared: a read outside a transaction runs again after a column change instead of failing; inside one it fails, as the transaction must", async () => {
    const url = await databases.freshUrl({ migrate: false });
    const kdb = connectPostgres(url, { max: 1 });
    const other = connectPostgres(url, { max: 1, preparedStatements: false });
    try {
      await sql`create table u (a int)`.execute(other.db);
      await sql`insert into u values (1)`.execute(other.db);
      const read = (db: typeof kdb.db) => executePrepared(db, db.selectFrom("u" as never).selectAll() as never) as Promise<Record<string, number>[]>;
      expect(await read(kdb.db)).toEqual([{ a: 1 }]);
      expect((await preparedOnConnection(kdb.db)).map((p) => p.statement)).toEqual([expect.stringMatching(/^\/\* keyward:prepared \*\/ select \* from "u"$/)]);
      await sql`alter table u add column b int default 2`.execute(other.db);
      expect(await read(kdb.db)).toEqual([{ a: 1, b: 2 }]);
      await sql`alter table u add column c int default 3`.execute(other.db);
      await expect(kdb.db.transaction().execute((trx) => read(trx))).rejects.toThrow(/cached plan must not change result type/);
      expect(await read(kdb.db)).toEqual([{ a: 1, b: 2, c: 3 }]);
      // An error that is not about the statement is not retried.
      await sql`drop table u`.execute(other.db);
      await expect(read(kdb.db)).rejects.toMatchObject({ code: expect.stringMatching(/^(42P01|0A000)$/) });
    } finally {
      await kdb.close();
      await other.close();
    }
  });
});
