import { sql, type Kysely } from "kysely";
import type { Database, SecretStatus } from "../../schema.js";
import { executePrepared } from "../../prepared.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";
import { definitionMatches } from "./search-text.js";
import { selectSecretsWithRotation, whereRotationState, type RotationState, type SecretWithRotation } from "./rotation.js";

/** Page sizes whose list statement is prepared: the console's (20, 50), the API's default (100), the CLI's (500) and a few round ones. */
const PREPARED_PAGE_SIZES = new Set([10, 20, 25, 50, 100, 200, 250, 500]);

export interface ListSecretsOptions {
  environmentId: string;
  limit?: number;
  cursor?: string;
  /** Case-insensitive substring of the name or description. */
  q?: string;
  status?: SecretStatus;
  type?: string;
  /** Only secrets in this rotation state at `now`. */
  rotation?: RotationState;
  now?: Date;
}

/** One environment's secrets in keyset pages ordered by name, with each secret's last rotation time. Never selects values. */
export async function listSecrets(db: Kysely<Database>, options: ListSecretsOptions): Promise<{ items: SecretWithRotation[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 100, 500);
  // The page size as a literal: with `limit $n`, PostgreSQL's generic plan must assume a tenth of the
  // table, which at 100,000 secrets always costs more than a plan for the actual 101 rows, so it
  // planned every run afresh (pg_prepared_statements: 0 generic plans) and planning was half the cost.
  let q = selectSecretsWithRotation(db, options.environmentId).orderBy("secrets.name").limit(sql.lit(limit + 1));
  if (options.cursor !== undefined) {
    const [after] = decodeCursor(options.cursor, ["name"] as const);
    // On both sides of the join: with the bound on secrets alone, PostgreSQL merge-joins against the
    // definitions from the first name on, reading every definition before the page (90,000 at 100,000).
    // Bounded by a one-row subquery (an InitPlan), not the parameter itself: PostgreSQL then costs every
    // page alike, custom plan or generic, and settles on the generic plan. Against the bare parameter a
    // plan for an early page (most of the table after the cursor) looked cheaper than the generic one,
    // so paging from the start was planned afresh on every call.
    const bound = sql<string>`(select ${after}::text)`;
    q = q.where("secrets.name", ">", bound).where("d.name", ">", bound);
  }
  if (options.status !== undefined) q = q.where("secrets.status", "=", options.status);
  if (options.type !== undefined) q = q.where("d.type", "=", options.type);
  if (options.q !== undefined) {
    // On the definition (d.name = secrets.name), so its trigram index serves it (migration 0590).
    q = q.where(definitionMatches("d", options.q));
  }
  if (options.rotation !== undefined) q = whereRotationState(q, options.rotation, options.now ?? new Date());
  // Prepared: planning this three-table join costs as much as running it for a page (bench/README.md),
  // for the page sizes the console, the CLI and the API's default ask for (each size is its own
  // statement). Not a search: PostgreSQL's generic plan for a text match cannot know how rare the text
  // is and may walk the name index filtering every row, where the search's own plan reads the trigram index.
  const prepare = options.q === undefined && PREPARED_PAGE_SIZES.has(limit);
  const rows = (prepare ? await executePrepared(db, q) : await q.execute()) as SecretWithRotation[];
  return toPage(rows, limit, (r) => [r.name]);
}
