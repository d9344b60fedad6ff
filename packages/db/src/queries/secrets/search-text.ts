import { sql, type RawBuilder, type SqlBool } from "kysely";
import { likePattern } from "../cursor.js";

/**
 * A search of secret definitions: `q` as a case-insensitive substring of the name or the
 * description. Both are matched as ONE text, name, newline, description, which one trigram index
 * serves (migration 0590): at 100,000 secrets that is one index scan where an OR of two columns
 * took two. The newline keeps a match from spanning the two fields; a `q` that holds one (no name
 * does) falls back to matching each field on its own. `table` is the definitions' alias in the query.
 */
export function definitionMatches(table: "d" | "secret_definitions", q: string): RawBuilder<SqlBool> {
  const pattern = likePattern(q);
  const name = sql.ref(`${table}.name`);
  const description = sql.ref(`${table}.description`);
  if (q.includes("\n")) return sql<SqlBool>`(${name} ilike ${pattern} or ${description} ilike ${pattern})`;
  // The expression must stay exactly the index's (0590-definition-search-index.ts) for the planner to use it.
  return sql<SqlBool>`(${name} || E'\\n' || ${description}) ilike ${pattern}`;
}
