import { createHash } from "node:crypto";
import { CompiledQuery, type Compilable, type Kysely } from "kysely";
import pg from "pg";

/**
 * A statement whose text starts with this comment is prepared once per connection on PostgreSQL
 * and then run by name: the server parses and plans it once instead of on every call, which on
 * the hot paths (a value write, an audit append) was about half the statement's cost (issue #18).
 * Mark only statements whose text never varies (no IN lists of varying length) and whose result
 * columns are spelled out or fixed by a function's signature. PGlite, and a pool with
 * `preparedStatements: false` (PgBouncer in transaction mode without prepared-statement support: before 1.21, or with max_prepared_statements at 0, its default before 1.24), just read a comment.
 */
export const PREPARED = "/* keyward:prepared */";

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const plainQuery = pg.Client.prototype.query as unknown as Query;

interface Marked {
  hash: string;
  /** Bumped when a name stops working, so every connection prepares the statement afresh under the next one. */
  generation: number;
}
const marked = new Map<string, Marked>();

const markedOf = (text: string): Marked => {
  let entry = marked.get(text);
  if (entry === undefined) {
    entry = { hash: createHash("sha256").update(text).digest("hex").slice(0, 20), generation: 0 };
    marked.set(text, entry);
  }
  return entry;
};
const nameOf = (entry: Marked) => (entry.generation === 0 ? `kw_${entry.hash}` : `kw_${entry.hash}_${entry.generation}`);

/**
 * Errors after which a prepared statement's name must not be used again: its plan's result columns
 * changed under a migration (0A000, raised by RevalidateCachedQuery; matched by routine and code,
 * since the message is translated), or the session lost or already holds the name (26000, 42P05:
 * DISCARD ALL, or a pooler that moves statements between sessions). The failed call's transaction
 * is aborted either way, so running its work again is safe (the audit writer's change groups do).
 */
export function isPreparedStatementError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code, routine } = err as { code?: string; routine?: string };
  return (code === "0A000" && (routine === "RevalidateCachedQuery" || /cached plan must not change result type/.test(err.message))) || code === "26000" || code === "42P05";
}

/** A pg client that runs marked statements by name (see PREPARED); everything else as pg does. */
export class PreparingClient extends pg.Client {}

(PreparingClient.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values, callback] = args;
  if (typeof text !== "string" || !text.startsWith(PREPARED) || callback !== undefined || (values !== undefined && !Array.isArray(values))) return plainQuery.apply(this, args);
  const entry = markedOf(text);
  const generation = entry.generation;
  const pending = plainQuery.call(this, { name: nameOf(entry), text, values }) as Promise<unknown>;
  return pending.catch((err: unknown) => {
    // The caller sees the error (its transaction is aborted anyway); the next call, on any
    // connection, prepares the statement afresh under a new name.
    if (isPreparedStatementError(err) && entry.generation === generation) entry.generation++;
    throw err;
  });
};

/**
 * Runs a kysely query as a PREPARED statement: for reads whose text takes a few shapes (a list
 * page with or without a cursor or filter), each shape prepared once per connection. Such a read
 * may select `table.*`; after a migration changes those columns its first run on a connection fails
 * with "cached plan must not change result type", so outside a transaction it runs once more, which
 * prepares it afresh (isPreparedStatementError bumps the name).
 */
export async function executePrepared<Row>(db: Kysely<any>, query: Compilable<Row>): Promise<Row[]> {
  const { sql: text, parameters } = query.compile();
  const marked = CompiledQuery.raw(`${PREPARED} ${text}`, [...parameters]);
  try {
    return (await db.executeQuery<Row>(marked)).rows;
  } catch (error) {
    if (db.isTransaction || !isPreparedStatementError(error)) throw error;
    return (await db.executeQuery<Row>(marked)).rows;
  }
}
