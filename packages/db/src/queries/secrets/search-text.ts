import { sql, type RawBuilder, type SqlBool } from "kysely";

/**
 * `q` as a case-insensitive literal regular expression: the `***=` director makes the rest of the
 * pattern literal, so nothing in `q` needs escaping. A regex rather than ILIKE because pg_trgm plans
 * the two differently: for `ilike '%_abc%'` it looks up every trigram of the pattern, including the
 * word-boundary ones ("  a", " ab") that nearly every name shares, while for a regex it leaves out
 * such costly trigrams and rechecks instead. At 100,000 secrets that made a search 2.7 to 4 times
 * cheaper for PostgreSQL (bench/README.md, "Search as a literal regex").
 */
const literal = (q: string): string => `***=${q}`;

/**
 * A search of secret definitions: `q` as a case-insensitive substring of the name or the
 * description. Both are matched as ONE text, name, newline, description, which one trigram index
 * serves (migration 0590): at 100,000 secrets that is one index scan where an OR of two columns
 * took two. The newline keeps a match from spanning the two fields; a `q` that holds one (no name
 * does) falls back to matching each field on its own. `table` is the definitions' alias in the query.
 */
export function definitionMatches(table: "d" | "secret_definitions", q: string): RawBuilder<SqlBool> {
  const pattern = literal(q);
  const name = sql.ref(`${table}.name`);
  const description = sql.ref(`${table}.description`);
  if (q.includes("\n")) return sql<SqlBool>`(${name} ~* ${pattern} or ${description} ~* ${pattern})`;
  // The expression must stay exactly the index's (0590-definition-search-index.ts) for the planner to use it.
  return sql<SqlBool>`(${name} || E'\\n' || ${description}) ~* ${pattern}`;
}
