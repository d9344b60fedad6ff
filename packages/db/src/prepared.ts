import { createHash } from "node:crypto";
import pg from "pg";

/**
 * A statement whose text starts with this comment is prepared once per connection on PostgreSQL
 * and then run by name: the server parses and plans it once instead of on every call, which on
 * the hot paths (a value write, an audit append) was about half the statement's cost (issue #18).
 * Mark only statements whose text never varies (no IN lists of varying length) and whose result
 * columns are spelled out or fixed by a function's signature. PGlite, and a pool with
 * `preparedStatements: false` (PgBouncer in transaction mode before 1.21), just read a comment.
 */
export const PREPARED = "/* keyward:prepared */";

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const plainQuery = pg.Client.prototype.query as unknown as Query;
const hashes = new Map<string, string>();

function nameOf(text: string, generation: number): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash("sha256").update(text).digest("hex").slice(0, 20);
    hashes.set(text, hash);
  }
  return generation === 0 ? `kw_${hash}` : `kw_${hash}_${generation}`;
}

/** PostgreSQL refuses a prepared statement whose result columns a migration changed (SQLSTATE 0A000). */
const isStalePlan = (err: unknown) => err instanceof Error && (err as { code?: string }).code === "0A000" && /cached plan must not change result type/.test(err.message);

/** A pg client that runs marked statements by name (see PREPARED); everything else as pg does. */
export class PreparingClient extends pg.Client {
  /** Bumped when the server refuses a stale plan, so the next call prepares the statement afresh under a new name. */
  generation = 0;
}

(PreparingClient.prototype as unknown as { query: (this: PreparingClient, ...args: unknown[]) => unknown }).query = function (this: PreparingClient, ...args: unknown[]) {
  const [text, values, callback] = args;
  if (typeof text !== "string" || !text.startsWith(PREPARED) || callback !== undefined || (values !== undefined && !Array.isArray(values))) return plainQuery.apply(this, args);
  const generation = this.generation;
  const pending = plainQuery.call(this, { name: nameOf(text, generation), text, values }) as Promise<unknown>;
  return pending.catch((err: unknown) => {
    // The caller sees the error (its transaction is aborted anyway) and its retry prepares anew.
    if (isStalePlan(err) && this.generation === generation) this.generation++;
    throw err;
  });
};
